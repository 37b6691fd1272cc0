"""Install, list and remove Argos packages from local .argosmodel files only.

Nothing is ever downloaded: argostranslate's package index and download functions are
never called. An archive is checked before anything is unpacked (a zip, one top-level
folder, safe member names, metadata.json describing a translate package, a model and a
tokenizer), then unpacked into a staging folder, loaded once with CTranslate2 and only
then moved into place as <package_dir>/translate-<from>_<to>. Installing a pair that is
already installed replaces it; the new model_id keeps old memory entries apart.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from interpreter_support.translation.mt.errors import InvalidPackage, PackageNotFound
from interpreter_support.translation.mt.languages import argos_code
from interpreter_support.translation.mt.settings import (
    current_settings,
    load_argos,
    load_ctranslate2,
)

log = logging.getLogger(__name__)

INSTALL_RECORD = "interpreter-support.json"
MAX_UNPACKED_BYTES = 4 * 1024**3
_CODE = re.compile(r"[a-z]{2,3}(_[a-z0-9]{2,8})?")
_install_lock = threading.Lock()


@dataclass(frozen=True)
class InstalledPackage:
    """model_id names the exact model: pair, version and the digest of the archive it was
    installed from (translation memory and stored translations record it)."""

    from_code: str
    to_code: str
    from_name: str
    to_name: str
    version: str
    model_id: str
    path: Path
    target_prefix: str = ""


def install_package(archive: str | os.PathLike[str]) -> InstalledPackage:
    source = Path(archive)
    if not source.is_file() or not zipfile.is_zipfile(source):
        raise InvalidPackage(f"{source.name} is not a zip archive (.argosmodel)")
    package_dir = current_settings().package_dir
    with zipfile.ZipFile(source) as bundle:
        top, metadata = _check_archive(bundle)
        with _install_lock, _staging_folder() as staging:
            bundle.extractall(staging)
            unpacked = staging / top
            _check_loads(unpacked)
            _write_install_record(unpacked, source)
            target = package_dir / f"translate-{metadata['from_code']}_{metadata['to_code']}"
            _move_into_place(unpacked, target, staging)
    return _read_package(target)


def list_packages() -> list[InstalledPackage]:
    package_dir = current_settings().package_dir
    load_argos()  # MTUnavailable without the extra, even before anything is installed
    if not package_dir.is_dir():
        return []
    found = []
    for folder in sorted(package_dir.iterdir()):
        if (folder / "metadata.json").is_file():
            try:
                found.append(_read_package(folder))
            except (InvalidPackage, ValueError) as error:
                log.warning("skipping unreadable package folder %s: %s", folder, error)
    return found


def find_package(from_code: str, to_code: str) -> InstalledPackage | None:
    """The installed package for a pair of Argos codes, if any."""
    matches = (p for p in list_packages() if (p.from_code, p.to_code) == (from_code, to_code))
    return next(matches, None)


def remove_package(from_code: str, to_code: str) -> InstalledPackage:
    """Remove the package for a pair (app locales or Argos codes, as in find_route)."""
    from_code, to_code = argos_code(from_code), argos_code(to_code)
    with _install_lock:
        package = find_package(from_code, to_code)
        if package is None:
            raise PackageNotFound(f"no package translates {from_code} to {to_code}")
        shutil.rmtree(package.path)
    return package


def _check_archive(bundle: zipfile.ZipFile) -> tuple[str, dict[str, str]]:
    names = bundle.namelist()
    for name in names:
        path = PurePosixPath(name)
        if not name or path.is_absolute() or ".." in path.parts or "\\" in name:
            raise InvalidPackage(f"unsafe file name in package: {name!r}")
    tops = {PurePosixPath(name).parts[0] for name in names}
    if len(tops) != 1:
        raise InvalidPackage("a package must hold exactly one top-level folder")
    top = tops.pop()
    if sum(member.file_size for member in bundle.infolist()) > MAX_UNPACKED_BYTES:
        raise InvalidPackage("package unpacks to more than 4 GiB")
    present = set(names)
    for required in ("metadata.json", "model/model.bin"):
        if f"{top}/{required}" not in present:
            raise InvalidPackage(f"package has no {required}")
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & present:
        raise InvalidPackage("package has no tokenizer (sentencepiece.model or bpe.model)")
    return top, _check_metadata(bundle.read(f"{top}/metadata.json"))


def _check_metadata(raw: bytes) -> dict[str, str]:
    try:
        metadata = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidPackage(f"metadata.json is not valid JSON: {error}") from error
    if not isinstance(metadata, dict):
        raise InvalidPackage("metadata.json must hold an object")
    if metadata.get("type", "translate") != "translate":
        raise InvalidPackage(f"not a translate package (type {metadata.get('type')!r})")
    for field in ("from_code", "to_code"):
        if not isinstance(metadata.get(field), str) or not _CODE.fullmatch(metadata[field]):
            raise InvalidPackage(f"metadata.json: {field} must be a language code")
    if metadata["from_code"] == metadata["to_code"]:
        raise InvalidPackage("metadata.json: from_code and to_code are the same")
    version = metadata.get("package_version")
    if not isinstance(version, str) or not version.strip():
        raise InvalidPackage("metadata.json: package_version is missing")
    return metadata


def _check_loads(folder: Path) -> None:
    """Load the model once so a corrupt or incompatible one fails now, not mid-job."""
    ctranslate2 = load_ctranslate2()
    try:
        ctranslate2.Translator(str(folder / "model"), device="cpu", intra_threads=1)
    except (RuntimeError, ValueError) as error:
        raise InvalidPackage(f"CTranslate2 cannot load the model: {error}") from error


def _write_install_record(folder: Path, source: Path) -> None:
    digest = hashlib.sha256()
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    record = {"archive": source.name, "archive_sha256": digest.hexdigest()}
    (folder / INSTALL_RECORD).write_text(json.dumps(record), encoding="utf-8")


@contextlib.contextmanager
def _staging_folder() -> Iterator[Path]:
    settings = current_settings()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    settings.package_dir.mkdir(parents=True, exist_ok=True)
    # Staged outside package_dir, where every folder is read as a package.
    staging = Path(tempfile.mkdtemp(prefix="install-", dir=settings.state_dir))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into_place(unpacked: Path, target: Path, staging: Path) -> None:
    previous = staging / "previous"
    if target.exists():
        shutil.move(target, previous)
    try:
        shutil.move(unpacked, target)
    except OSError:
        if previous.exists():
            shutil.move(previous, target)
        raise


def _read_package(folder: Path) -> InstalledPackage:
    argos_package = load_argos()
    try:
        package = argos_package.Package(folder)
    except (OSError, json.JSONDecodeError) as error:
        raise InvalidPackage(f"{folder.name}: {error}") from error
    model_id = f"translate-{package.from_code}_{package.to_code}@{package.package_version}"
    digest = _installed_digest(folder)
    if digest:
        model_id += "#" + digest[:16]
    return InstalledPackage(
        from_code=package.from_code,
        to_code=package.to_code,
        from_name=package.from_name,
        to_name=package.to_name,
        version=package.package_version,
        model_id=model_id,
        path=folder,
        target_prefix=package.target_prefix,
    )


def _installed_digest(folder: Path) -> str:
    """The archive digest recorded at install ("" for folders copied in by hand)."""
    record = folder / INSTALL_RECORD
    if not record.is_file():
        return ""
    digest = json.loads(record.read_text("utf-8")).get("archive_sha256", "")
    return digest if isinstance(digest, str) else ""
