"""Nothing in machine translation touches the network, $HOME, or the optional libraries
before it has to."""

from __future__ import annotations

import json
import socket
import urllib.request
from pathlib import Path

import mt_tiny_model as tiny
import pytest

from interpreter_support.translation import mt
from interpreter_support.translation.mt import settings as mt_settings

FULL_FLOW = """
import json, sys
import mt_tiny_model as tiny
from interpreter_support.translation import mt
mt.configure({package_dir!r})
for archive in {archives!r}:
    mt.install_package(archive)
text = "The client feels safe. She trusts the interpreter.\\n\\nWe meet the family."
results = [
    mt.translate(text, "en", "yy").text,
    mt.translate(tiny.shift_text(text), "xx", "yy").text,
    mt.back_translate(text.lower(), text.upper(), "en", "yy").similarity,
]
mt.remove_package("en", "yy")
families = {{"argostranslate", "minisbd", "onnxruntime", "stanza", "spacy"}}
loaded = sorted(name for name in sys.modules if name.split(".")[0] in families)
print(json.dumps({{"results": results, "loaded": loaded}}))
"""


def test_guard_refuses_and_records_a_connection(network_guard) -> None:
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="blocked"):
        sock.connect(("127.0.0.1", 9))
    assert [event for event, _ in network_guard.attempts] == ["socket.connect"]
    network_guard.attempts.clear()  # expected here; any other attempt fails its test


def test_argos_downloaders_are_never_reached(install, monkeypatch) -> None:
    """Tripwires on every download path of argostranslate. (MiniSBD, the splitter it
    fetches models for, is never even imported: see the next test.)"""
    install("en_yy", "yy_en", "xx_en")  # first, so the engine performs the Argos import
    import argostranslate.networking
    import argostranslate.package

    calls: list[str] = []
    targets = [
        (argostranslate.networking, "get"),
        (argostranslate.networking, "get_from"),
        (argostranslate.package, "update_package_index"),
        (argostranslate.package, "install_package_for_language_pair"),
        (argostranslate.package.AvailablePackage, "download"),
        (urllib.request, "urlopen"),
        (urllib.request, "urlretrieve"),
    ]
    for owner, name in targets:
        monkeypatch.setattr(owner, name, lambda *a, _name=name, **k: calls.append(_name))

    text = "The client feels safe. She trusts the interpreter.\n\nWe meet the family."
    assert not any((p.path / d).exists() for p in mt.list_packages() for d in ("minisbd", "stanza"))
    assert mt.translate(text, "en", "yy").text == text.upper()
    assert mt.translate(tiny.shift_text(text), "xx", "yy").text == text.upper()
    mt.back_translate(text, text.upper(), "en", "yy")
    mt.remove_package("en", "yy")
    assert calls == []


def test_full_flow_never_loads_a_splitter_model_library(run_python, archives, tmp_path) -> None:
    code = FULL_FLOW.format(
        package_dir=str(tmp_path / "argos-packages"),
        archives=[str(archives[name]) for name in ("en_yy", "yy_en", "xx_en")],
    )
    child = run_python(code)
    assert child.returncode == 0, child.stderr
    seen = json.loads(child.stdout)
    expected = "The client feels safe. She trusts the interpreter.\n\nWe meet the family.".upper()
    assert seen["results"] == [expected, expected, 100.0]
    loaded = seen["loaded"]
    assert "argostranslate.package" in loaded
    assert not [name for name in loaded if name.startswith(("argostranslate.sbd", "minisbd"))]
    assert not [name for name in loaded if name.startswith(("onnxruntime", "stanza", "spacy"))]


def test_argos_import_touches_nothing_in_home(run_python, tmp_path) -> None:
    """argostranslate creates folders under $HOME and reads settings.json there at
    import; configure() points both into state_dir, and only during the import."""
    home = tmp_path / "home"
    user_settings = home / ".config" / "argos-translate" / "settings.json"
    user_settings.parent.mkdir(parents=True)
    hostile = {"ARGOS_MODEL_PROVIDER": "LIBRETRANSLATE", "ARGOS_PACKAGES_DIR": str(home)}
    user_settings.write_text(json.dumps(hostile))
    before = sorted(path.relative_to(home) for path in home.rglob("*"))
    probe = mt_settings.MTSettings(package_dir=tmp_path, state_dir=tmp_path)
    xdg_homes = sorted(mt_settings.import_environment(probe))
    code = f"""
import os, json
from interpreter_support.translation import mt
mt.configure({str(tmp_path / "instance" / "argos-packages")!r})
mt.list_packages()
import argostranslate.settings as argos
print(json.dumps({{
    "package_dir": str(argos.package_data_dir),
    "config_dir": str(argos.config_dir),
    "data_dir": str(argos.data_dir),
    "provider": argos.model_provider.name,
    "intra_threads": argos.intra_threads,
    "xdg_left": [name for name in os.environ if name in {xdg_homes!r}],
}}))
"""
    child = run_python(code, env={"HOME": str(home)})
    assert child.returncode == 0, child.stderr
    seen = json.loads(child.stdout)
    state = tmp_path / "instance" / "argos-state"
    assert seen["package_dir"] == str(tmp_path / "instance" / "argos-packages")
    assert Path(seen["config_dir"]).is_relative_to(state)
    assert Path(seen["data_dir"]).is_relative_to(state)
    assert seen["provider"] == "OPENNMT"
    assert seen["intra_threads"] == 1
    assert seen["xdg_left"] == []  # set for the import only
    assert sorted(path.relative_to(home) for path in home.rglob("*")) == before


def test_missing_extra_raises_mt_unavailable(run_python, tmp_path) -> None:
    code = f"""
import sys
for name in ("argostranslate", "ctranslate2", "sacrebleu"):
    sys.modules[name] = None  # as if the [mt] extra were not installed
from interpreter_support.translation import mt
assert not mt.is_available()
mt.configure({str(tmp_path / "argos-packages")!r})
calls = (mt.list_packages, lambda: mt.similarity("a", "b"), lambda: mt.translate("a", "en", "yy"))
for call in calls:
    try:
        call()
    except mt.MTUnavailable as error:
        print("unavailable:", error)
"""
    child = run_python(code)
    assert child.returncode == 0, child.stderr
    lines = child.stdout.splitlines()
    assert len(lines) == 3
    assert all("[mt] extra" in line for line in lines)


def test_importing_the_engine_loads_no_optional_library(run_python) -> None:
    code = """
import sys
from interpreter_support.translation import mt
optional = {"argostranslate", "ctranslate2", "sentencepiece", "sacrebleu"}
print(sorted(name for name in sys.modules if name.split(".")[0] in optional))
try:
    mt.list_packages()
except mt.MTNotConfigured as error:
    print("not configured:", error)
"""
    child = run_python(code)
    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines() == [
        "[]",
        "not configured: call configure(package_dir) before using machine translation",
    ]


def test_child_guard_stops_a_network_attempt(run_python) -> None:
    child = run_python("import socket\nsocket.getaddrinfo('example.org', 443)\nprint('reached')")
    assert child.returncode == 97
    assert "NETWORK ATTEMPT socket.getaddrinfo" in child.stderr
    assert "reached" not in child.stdout


def test_nothing_outside_the_mt_package_imports_argostranslate() -> None:
    package_root = Path(mt.__file__).resolve().parents[2]
    mt_folder = Path(mt.__file__).resolve().parent
    offenders = [
        path
        for path in package_root.rglob("*.py")
        if not path.is_relative_to(mt_folder) and "argostranslate" in path.read_text("utf-8")
    ]
    assert offenders == []


def test_argos_own_translate_would_fetch_a_splitter_model(run_python, archives, tmp_path) -> None:
    """Why the engine bypasses argostranslate.translate: on the same package, Argos's
    own path tries to download a MiniSBD model (the child guard stops it)."""
    code = f"""
from interpreter_support.translation import mt
mt.configure({str(tmp_path / "argos-packages")!r})
mt.install_package({str(archives["en_yy"])!r})
import argostranslate.translate
print(argostranslate.translate.translate("The client feels safe. She trusts me.", "en", "yy"))
"""
    child = run_python(code)
    assert child.returncode == 97, child.stdout + child.stderr
    assert "NETWORK ATTEMPT" in child.stderr
