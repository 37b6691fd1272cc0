"""Configure the engine once per process, and import argostranslate only on first use.

argostranslate reads its settings at import time, and that import creates data, config
and cache folders under $HOME (or XDG_*_HOME) and reads a settings.json from there.
configure() therefore only records where packages live and sets the ARGOS_* variables;
load_argos() imports argostranslate later, with XDG_DATA_HOME, XDG_CONFIG_HOME and
XDG_CACHE_HOME pointed into state_dir for the duration of the import only. Nothing is
written to $HOME and no user settings.json can switch Argos to a remote provider.

The engine passes its package folder to argostranslate explicitly, so calling
configure() again with another folder (as app tests do) takes effect; what Argos fixed at
its import (its own default folders) is never used by the engine.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from interpreter_support.translation.mt.errors import MTNotConfigured, MTUnavailable

MT_MODULES = ("argostranslate", "ctranslate2", "sentencepiece", "sacrebleu")
INSTALL_HINT = (
    "machine translation needs the optional [mt] extra "
    "(argos-translate-lt, ctranslate2, sentencepiece, sacrebleu)"
)


@dataclass(frozen=True)
class MTSettings:
    """Where packages live and how CTranslate2 runs.

    threads: CTranslate2 intra-op threads. 1 by default: with its default (4 threads)
    translation stalled for a minute on a 2-core machine. Raise it on larger servers.
    max_sentence_tokens: longer sentences are cut at clause or word boundaries before
    translation, because CTranslate2 stops decoding at 256 tokens.
    """

    package_dir: Path
    state_dir: Path
    threads: int = 1
    beam_size: int = 4
    max_sentence_tokens: int = 150


_lock = threading.Lock()
_settings: MTSettings | None = None


def configure(
    package_dir: str | os.PathLike[str],
    *,
    state_dir: str | os.PathLike[str] | None = None,
    threads: int = 1,
) -> MTSettings:
    """Use package_dir for packages from now on; state_dir (default: a sibling
    "argos-state") receives argostranslate's own folders. Creates no folder and does
    not need the [mt] extra, so the app factory can always call it."""
    if threads < 1:
        raise ValueError("threads must be at least 1")
    packages = Path(package_dir).resolve()
    state = Path(state_dir).resolve() if state_dir else packages.parent / "argos-state"
    settings = MTSettings(package_dir=packages, state_dir=state, threads=threads)
    global _settings
    with _lock:
        os.environ.update(argos_environment(settings))
        _settings = settings
    return settings


def argos_environment(settings: MTSettings) -> dict[str, str]:
    """The ARGOS_* variables configure() sets, so argostranslate's own module state
    agrees with the engine if any Argos code path reads it."""
    return {
        "ARGOS_PACKAGES_DIR": str(settings.package_dir),
        "ARGOS_DEVICE_TYPE": "cpu",
        "ARGOS_INTER_THREADS": "1",
        "ARGOS_INTRA_THREADS": str(settings.threads),
        "ARGOS_BEAM_SIZE": str(settings.beam_size),
        # Never the LibreTranslate or OpenAI providers: both send text over the network.
        "ARGOS_MODEL_PROVIDER": "OPENNMT",
    }


def import_environment(settings: MTSettings) -> dict[str, str]:
    """XDG variables in force only while argostranslate is first imported."""
    return {
        "XDG_DATA_HOME": str(settings.state_dir / "data"),
        "XDG_CONFIG_HOME": str(settings.state_dir / "config"),
        "XDG_CACHE_HOME": str(settings.state_dir / "cache"),
    }


def current_settings() -> MTSettings:
    if _settings is None:
        raise MTNotConfigured("call configure(package_dir) before using machine translation")
    return _settings


def is_available() -> bool:
    """Whether the [mt] extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in MT_MODULES)


def load_argos() -> ModuleType:
    """argostranslate.package, imported on first use under the import environment."""
    settings = current_settings()
    with _lock:
        module = sys.modules.get("argostranslate.package")
        if module is not None:
            return module
        with _temporary_environment(import_environment(settings)):
            try:
                return importlib.import_module("argostranslate.package")
            except ImportError as error:
                raise MTUnavailable(INSTALL_HINT) from error


def load_ctranslate2() -> ModuleType:
    try:
        return importlib.import_module("ctranslate2")
    except ImportError as error:
        raise MTUnavailable(INSTALL_HINT) from error


@contextlib.contextmanager
def _temporary_environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
