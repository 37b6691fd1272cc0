"""Offline machine translation: routes, translation with memory, back-translation.

Machine translation drafts and back-translates; it never approves a translation. Every
result names the model that produced it (model_id), so stored drafts stay traceable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interpreter_support.translation.mt.errors import NoRoute
from interpreter_support.translation.mt.languages import argos_code
from interpreter_support.translation.mt.memory import MemoryKey, TranslationMemory
from interpreter_support.translation.mt.packages import InstalledPackage, list_packages
from interpreter_support.translation.mt.runtime import translate_texts
from interpreter_support.translation.mt.similarity import similarity

PIVOT = "en"
TEXTS_PER_CALL = 32  # texts per CTranslate2 call; progress is reported after each call

Progress = Callable[[int, int], None]
"""Called as progress(done, total) with counts of input texts."""


@dataclass(frozen=True)
class Translation:
    text: str
    model_id: str
    route: tuple[tuple[str, str], ...]
    from_memory: bool


@dataclass(frozen=True)
class BackTranslation:
    back: Translation
    similarity: float


def find_route(from_code: str, to_code: str) -> list[InstalledPackage]:
    """The packages to run, in order: one for a direct pair, or two through English.

    Accepts app locales or Argos codes ("fa_AF", "prs"); raises NoRoute."""
    source, target = argos_code(from_code), argos_code(to_code)
    if source == target:
        raise ValueError(f"source and target language are both {source}")
    installed = {(package.from_code, package.to_code): package for package in list_packages()}
    direct = installed.get((source, target))
    if direct is not None:
        return [direct]
    into, out_of = installed.get((source, PIVOT)), installed.get((PIVOT, target))
    if into is not None and out_of is not None:
        return [into, out_of]
    raise NoRoute(source, target)


def translate(
    text: str, from_code: str, to_code: str, memory: TranslationMemory | None = None
) -> Translation:
    return translate_many([text], from_code, to_code, memory=memory)[0]


def translate_many(
    texts: Sequence[str],
    from_code: str,
    to_code: str,
    *,
    memory: TranslationMemory | None = None,
    progress: Progress | None = None,
) -> list[Translation]:
    """Translate texts in order; each distinct text reaches the model at most once, and
    not at all when memory already holds it for this exact model."""
    route = find_route(from_code, to_code)
    model_id = " > ".join(package.model_id for package in route)
    pairs = tuple((package.from_code, package.to_code) for package in route)
    keys = [
        MemoryKey.for_text(model_id, route[0].from_code, route[-1].to_code, text) for text in texts
    ]
    occurrences = Counter(keys)
    found = _recall(memory, occurrences, model_id, pairs)
    unique = dict(zip(keys, texts, strict=True))
    pending = [(key, text) for key, text in unique.items() if key not in found]
    done = sum(occurrences[key] for key in found)
    _report(progress, done, len(texts))
    for start in range(0, len(pending), TEXTS_PER_CALL):
        batch = pending[start : start + TEXTS_PER_CALL]
        outputs = [text for _, text in batch]
        for package in route:
            outputs = translate_texts(package, outputs)
        for (key, _), output in zip(batch, outputs, strict=True):
            if memory is not None:
                memory.put(key, output)
            found[key] = Translation(output, model_id, pairs, from_memory=False)
            done += occurrences[key]
        _report(progress, done, len(texts))
    return [found[key] for key in keys]


def back_translate(
    source_text: str,
    translation: str,
    source_code: str,
    target_code: str,
    *,
    memory: TranslationMemory | None = None,
) -> BackTranslation:
    """Machine-translate a (human) translation back into the source language and score
    how close it comes to the source (chrF, 0-100): a review aid, never an approval."""
    back = translate(translation, target_code, source_code, memory=memory)
    return BackTranslation(back=back, similarity=similarity(back.text, source_text))


def _recall(
    memory: TranslationMemory | None,
    keys: Counter[MemoryKey],
    model_id: str,
    pairs: tuple[tuple[str, str], ...],
) -> dict[MemoryKey, Translation]:
    found: dict[MemoryKey, Translation] = {}
    if memory is None:
        return found
    for key in keys:
        stored = memory.get(key)
        if stored is not None:
            found[key] = Translation(stored, model_id, pairs, from_memory=True)
    return found


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)
