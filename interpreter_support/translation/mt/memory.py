"""Translation memory: the same source text is never sent through the same model twice.

Entries are keyed by the model (package pair, version and archive digest: see
InstalledPackage.model_id), the language pair and the SHA-256 of the exact source text.
The app stores them in its database through its own TranslationMemory implementation;
InMemoryTranslationMemory serves the CLI, tests and benchmarks.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class MemoryKey:
    model_id: str
    from_code: str
    to_code: str
    source_sha256: str

    @classmethod
    def for_text(cls, model_id: str, from_code: str, to_code: str, text: str) -> MemoryKey:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(model_id, from_code, to_code, digest)


class TranslationMemory(Protocol):
    def get(self, key: MemoryKey) -> str | None:
        """The stored machine translation, or None."""
        ...

    def put(self, key: MemoryKey, translation: str) -> None:
        """Store a machine translation (overwriting is allowed: same key, same output)."""
        ...


class InMemoryTranslationMemory:
    """A process-local TranslationMemory (thread-safe)."""

    def __init__(self) -> None:
        self._entries: dict[MemoryKey, str] = {}
        self._lock = threading.Lock()

    def get(self, key: MemoryKey) -> str | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: MemoryKey, translation: str) -> None:
        with self._lock:
            self._entries[key] = translation

    def __len__(self) -> int:
        return len(self._entries)
