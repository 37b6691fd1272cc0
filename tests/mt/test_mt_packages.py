"""Installing, listing and removing Argos packages from local files."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import mt_tiny_model as tiny
import pytest

from interpreter_support.translation import mt


def test_install_lists_the_package_with_an_exact_model_id(configured, archives) -> None:
    installed = mt.install_package(archives["en_yy"])
    digest = hashlib.sha256(archives["en_yy"].read_bytes()).hexdigest()
    assert (installed.from_code, installed.to_code, installed.version) == ("en", "yy", "1.0")
    assert (installed.from_name, installed.to_name) == ("Test en", "Test yy")
    assert installed.model_id == f"translate-en_yy@1.0#{digest[:16]}"
    assert installed.path == configured.package_dir / "translate-en_yy"
    assert mt.list_packages() == [installed]


def test_remove_deletes_the_folder_and_then_reports_not_found(install) -> None:
    install("en_yy", "yy_en")
    removed = mt.remove_package("en", "yy")
    assert not removed.path.exists()
    assert [(p.from_code, p.to_code) for p in mt.list_packages()] == [("yy", "en")]
    with pytest.raises(mt.PackageNotFound, match="en to yy"):
        mt.remove_package("en_GB", "yy")


def test_installing_a_new_version_replaces_the_pair(configured, archives, build_archive) -> None:
    old = mt.install_package(archives["en_yy"])
    new = mt.install_package(build_archive("en", "yy", tiny.upper, version="1.1"))
    assert mt.list_packages() == [new]
    assert new.version == "1.1"
    assert new.path == old.path
    assert new.model_id != old.model_id
    assert mt.translate("we", "en", "yy").model_id == new.model_id


def test_reconfiguring_switches_package_folders(tmp_path, restore_configuration, archives):
    first = mt.configure(tmp_path / "a" / "argos-packages")
    mt.install_package(archives["en_yy"])
    assert mt.translate("she", "en", "yy").text == "SHE"
    mt.configure(tmp_path / "b" / "argos-packages", threads=2)
    assert mt.list_packages() == []
    with pytest.raises(mt.NoRoute):
        mt.translate("she", "en", "yy")
    assert mt.current_settings().threads == 2
    mt.configure(first.package_dir)
    assert [p.to_code for p in mt.list_packages()] == ["yy"]
    assert mt.translate("she", "en", "yy").text == "SHE"


def test_configure_sets_the_argos_environment(configured) -> None:
    assert os.environ["ARGOS_PACKAGES_DIR"] == str(configured.package_dir)
    assert os.environ["ARGOS_INTRA_THREADS"] == "1"
    assert os.environ["ARGOS_INTER_THREADS"] == "1"
    assert os.environ["ARGOS_MODEL_PROVIDER"] == "OPENNMT"
    assert configured.state_dir == configured.package_dir.parent / "argos-state"
    with pytest.raises(ValueError, match="threads"):
        mt.configure(configured.package_dir, threads=0)


def test_folders_without_metadata_are_not_packages(install, configured) -> None:
    install("en_yy")
    (configured.package_dir / "notes").mkdir()
    assert [p.to_code for p in mt.list_packages()] == ["yy"]


def _top(name: str) -> str:
    return name.split("/", 1)[0]


def _rename_top(name: str, data: bytes) -> list[tuple[str, bytes]]:
    """Move the README into a second top-level folder."""
    if name.endswith("README.md"):
        return [("second/README.md", data)]
    return [(name, data)]


def _drop(suffix: str):
    return lambda name, data: [] if name.endswith(suffix) else [(name, data)]


def _metadata(**changes: object):
    def change(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if not name.endswith("/metadata.json"):
            return [(name, data)]
        metadata = {**json.loads(data), **changes}
        return [(name, json.dumps({k: v for k, v in metadata.items() if v is not None}).encode())]

    return change


def _add(member: str):
    return lambda name, data: (
        [(name, data)]
        + ([(member.replace("TOP", _top(name)), b"x")] if name.endswith("README.md") else [])
    )


INVALID = {
    "two top-level folders": (_rename_top, "exactly one top-level folder"),
    "no metadata": (_drop("/metadata.json"), "no metadata.json"),
    "no model": (_drop("/model/model.bin"), "no model/model.bin"),
    "no tokenizer": (_drop("/sentencepiece.model"), "no tokenizer"),
    "unsafe name": (_add("TOP/../../escaped.txt"), "unsafe file name"),
    "metadata not json": (
        lambda n, d: [(n, b"{oops" if n.endswith("metadata.json") else d)],
        "not valid JSON",
    ),
    "metadata not an object": (
        lambda n, d: [(n, b"[]" if n.endswith("metadata.json") else d)],
        "must hold an object",
    ),
    "sentence splitter package": (_metadata(type="sbd"), "not a translate package"),
    "bad language code": (_metadata(from_code="../en"), "from_code must be a language code"),
    "same languages": (_metadata(to_code="en"), "are the same"),
    "no version": (_metadata(package_version=None), "package_version is missing"),
    "corrupt model": (
        lambda n, d: [(n, b"garbage" if n.endswith("model.bin") else d)],
        "CTranslate2 cannot load",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_archives_are_refused_and_leave_nothing(
    case, configured, archives, archive_variant
) -> None:
    change, message = INVALID[case]
    bad = archive_variant(archives["en_yy"], change)
    with pytest.raises(mt.InvalidPackage, match=message):
        mt.install_package(bad)
    assert mt.list_packages() == []
    assert not any(configured.state_dir.glob("install-*"))
    assert not (configured.package_dir.parent / "escaped.txt").exists()


def test_a_file_that_is_not_a_zip_is_refused(configured, tmp_path) -> None:
    not_zip = tmp_path / "model.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(mt.InvalidPackage, match="not a zip archive"):
        mt.install_package(not_zip)
    with pytest.raises(mt.InvalidPackage, match="not a zip archive"):
        mt.install_package(tmp_path / "missing.argosmodel")


def test_a_failed_upgrade_keeps_the_installed_version(configured, archives, archive_variant):
    installed = mt.install_package(archives["en_yy"])
    corrupt = archive_variant(
        archives["en_yy"], lambda n, d: [(n, b"garbage" if n.endswith("model.bin") else d)]
    )
    with pytest.raises(mt.InvalidPackage):
        mt.install_package(corrupt)
    assert mt.list_packages() == [installed]
    assert mt.translate("me", "en", "yy").text == "ME"


def test_unconfigured_folder_is_never_created_by_listing(configured) -> None:
    assert mt.list_packages() == []
    assert not Path(configured.package_dir).exists()
