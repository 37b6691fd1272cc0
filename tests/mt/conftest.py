"""Fixtures for the machine-translation tests: a network guard, tiny real packages, a
configured engine per test, and a guarded Python subprocess.

The engine runs in this process: it hands its package folder to argostranslate
explicitly, so each test configures its own folder. Only what argostranslate fixes at
import time (its own folders, from XDG_*) is process-wide; those tests use a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import mt_tiny_model as tiny
import pytest

from interpreter_support.translation import mt
from interpreter_support.translation.mt import settings as mt_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
BLOCKED_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
    }
)


class NetworkGuard:
    """Audit hook that refuses every network event while active and records it, so a
    test fails even when the code under test swallows the error (Argos's does)."""

    def __init__(self) -> None:
        self.active = False
        self.attempts: list[tuple[str, tuple[object, ...]]] = []

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if self.active and event in BLOCKED_EVENTS:
            self.attempts.append((event, args))
            raise ConnectionRefusedError(f"network blocked in tests: {event} {args!r}")


_GUARD = NetworkGuard()
sys.addaudithook(_GUARD)  # audit hooks cannot be removed: the fixture toggles it instead


@pytest.fixture(autouse=True)
def network_guard() -> Iterator[NetworkGuard]:
    _GUARD.attempts.clear()
    _GUARD.active = True
    try:
        yield _GUARD
    finally:
        _GUARD.active = False
    if _GUARD.attempts:
        pytest.fail(f"network access attempted: {_GUARD.attempts}")


XDG_HOMES = frozenset({"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"})

# The same guard for child processes: any network event ends the child with code 97.
CHILD_GUARD = f"""
import os, sys
def _guard(event, args):
    if event in {sorted(BLOCKED_EVENTS)!r}:
        sys.stderr.write(f"NETWORK ATTEMPT {{event}} {{args!r}}\\n")
        sys.stderr.flush()
        os._exit(97)
sys.addaudithook(_guard)
"""


@pytest.fixture
def run_python(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run code in a fresh, network-guarded interpreter; returns the finished process.

    The child starts without ARGOS_* and XDG_*_HOME variables (it configures itself) and
    with HOME in tmp_path: libraries that write under HOME at import (onnxruntime, which
    Argos's own splitter loads) never touch the real one."""

    def run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        inherited = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("ARGOS_") and name not in XDG_HOMES
        }
        child_env = {**inherited, "HOME": str(tmp_path / "child-home"), **(env or {})}
        child_env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), str(Path(__file__).parent)])
        return subprocess.run(
            [sys.executable, "-c", CHILD_GUARD + code],
            capture_output=True,
            text=True,
            env=child_env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    return run


PackageBuilder = Callable[..., Path]


@pytest.fixture(scope="session")
def build_archive(tmp_path_factory: pytest.TempPathFactory) -> PackageBuilder:
    """build_archive(from_code, to_code, mapping, version=..., target_prefix=...) -> a
    real .argosmodel, built once per session for each distinct set of arguments."""
    folder = tmp_path_factory.mktemp("argos-archives")
    tokenizer = tiny.train_tokenizer(folder / "sentencepiece.model")
    built: dict[tuple[object, ...], Path] = {}

    def build(
        from_code: str,
        to_code: str,
        mapping: Callable[[str], str],
        *,
        version: str = "1.0",
        target_prefix: str = "",
    ) -> Path:
        key = (from_code, to_code, mapping, version, target_prefix)
        if key not in built:
            name = f"{from_code}_{to_code}-{version}-{len(built)}.argosmodel"
            built[key] = tiny.build_package(
                folder / name,
                tokenizer,
                from_code,
                to_code,
                mapping,
                version=version,
                target_prefix=target_prefix,
            )
        return built[key]

    return build


STANDARD_PACKAGES = {
    "en_yy": ("en", "yy", tiny.upper),
    "yy_en": ("yy", "en", tiny.lower),
    "xx_en": ("xx", "en", tiny.shift_back),
    "en_xx": ("en", "xx", tiny.shift_forward),
}


@pytest.fixture
def archives(build_archive: PackageBuilder) -> dict[str, Path]:
    """The standard test pairs: yy is upper-case English, xx is Caesar-shifted English."""
    return {name: build_archive(*spec) for name, spec in STANDARD_PACKAGES.items()}


@pytest.fixture
def restore_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo configure() after the test: the ARGOS_* variables and the engine's settings."""
    probe = mt_settings.MTSettings(package_dir=tmp_path, state_dir=tmp_path)
    for name in mt_settings.argos_environment(probe):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(mt_settings, "_settings", mt_settings._settings)


@pytest.fixture
def configured(tmp_path: Path, restore_configuration: None) -> mt.MTSettings:
    """The engine configured on this test's own folders."""
    return mt.configure(tmp_path / "argos-packages", state_dir=tmp_path / "argos-state")


@pytest.fixture
def install(configured: mt.MTSettings, archives: dict[str, Path]) -> Callable[..., None]:
    """install("en_yy", "yy_en", ...) installs standard pairs into this test's folder."""

    def install_named(*names: str) -> None:
        for name in names:
            mt.install_package(archives[name])

    return install_named


@pytest.fixture
def archive_variant(tmp_path: Path) -> Callable[..., Path]:
    """archive_variant(source, change) -> a copy of a package archive in which
    change(name, data) returns the (name, data) pairs to write instead of each member."""

    def variant(source: Path, change: Callable[[str, bytes], list[tuple[str, bytes]]]) -> Path:
        target = tmp_path / f"variant-{len(list(tmp_path.glob('variant-*')))}.argosmodel"
        with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
            for name in original.namelist():
                for new_name, data in change(name, original.read(name)):
                    copy.writestr(new_name, data)
        return target

    return variant
