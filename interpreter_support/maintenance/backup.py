"""Back up and restore the app's database, encrypted with an age key file.

SQLite is copied with its online backup API (one consistent snapshot; in WAL mode the app
keeps writing meanwhile) into a private file beside the live database, encrypted, and the
copy removed. PostgreSQL goes through `pg_dump --format=custom`, streamed straight into
the encryption, and `pg_restore`, found on PATH, with the password handed over in the
environment only. A restore first decrypts the whole file into a private temporary file,
so a damaged, altered or wrongly keyed backup is refused before anything is touched, and
goes into an empty database only, so it can never overwrite records. Every file made here
is readable by its owner only (0600).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from interpreter_support.maintenance import encryption
from interpreter_support.maintenance.encryption import BackupKey, EncryptionError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why and changes nothing."""


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did, for a one-line report. Never holds a password."""

    engine: str
    database: str
    path: Path
    size_bytes: int
    rows_by_table: dict[str, int] | None = None

    def describe_backup(self) -> str:
        return (f"Backed up {self.engine} database {self.database} to {self.path} "
                f"({_size(self.size_bytes)}, encrypted with age, readable by its owner "
                "only).")

    def describe_restore(self) -> str:
        tables = self.rows_by_table or {}
        return (f"Restored {self.path} into {self.engine} database {self.database} "
                f"({len(tables)} tables, {sum(tables.values()):,} rows).")


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1_000_000:.1f} MB" if size_bytes >= 100_000 else f"{size_bytes:,} bytes"


def backup(url: str, path: Path, key: BackupKey) -> Outcome:
    """Write an encrypted backup of the database at `url` to `path` (replaced only when
    complete)."""
    parsed = make_url(url)
    engine = parsed.get_backend_name()
    if engine not in ENGINE_NAMES:
        raise BackupError(f"backups of {engine} databases are not supported")
    if engine == "sqlite":
        source = _sqlite_path(parsed)
        if not source.is_file():
            raise BackupError(f"there is no SQLite database at {source}")
    with _written_atomically(path) as partial, partial.open("r+b") as out:
        try:
            if engine == "sqlite":
                with _private_scratch(source.parent) as plain:
                    _sqlite_copy(source, plain, making_backup=True)
                    with plain.open("rb") as copy:
                        encryption.encrypt(copy, out, key)
            else:
                _run_pg_tool(parsed, "pg_dump", "--format=custom", encrypt_into=(out, key))
        except OSError as error:  # a full disk, a folder gone meanwhile
            raise BackupError(f"writing {path} failed: {error.strerror or error}") from None
    display = str(source) if engine == "sqlite" else _pg_display(parsed)
    return Outcome(ENGINE_NAMES[engine], display, path, path.stat().st_size)


def restore(url: str, path: Path, key: BackupKey) -> Outcome:
    """Check and decrypt the backup at `path`, then load it into the database at `url`,
    which must be empty. Refused, with nothing changed, when anything is wrong."""
    parsed = make_url(url)
    engine = parsed.get_backend_name()
    if engine not in ENGINE_NAMES:
        raise BackupError(f"restoring into {engine} databases is not supported")
    try:
        encrypted = encryption.is_encrypted(path)
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if not encrypted:
        raise BackupError(f"{path} is not an encrypted backup (an age file made by "
                          "`interpreter-support backup`)")
    scratch = _sqlite_path(parsed).parent if engine == "sqlite" else None
    with _private_scratch(scratch) as plain:
        with plain.open("r+b") as out:
            try:
                encryption.decrypt(path, out, key)
            except EncryptionError as error:
                raise BackupError(str(error)) from None
        _check_restorable(url, plain, engine)
        if engine == "sqlite":
            target = _sqlite_path(parsed)
            _private_file(target)
            _sqlite_copy(plain, target, making_backup=False)
            display = str(target)
        else:
            _run_pg_tool(parsed, "pg_restore", "--exit-on-error", "--single-transaction",
                         "--no-owner", str(plain))
            display = _pg_display(parsed)
    return Outcome(ENGINE_NAMES[engine], display, path, path.stat().st_size, count_rows(url))


def _check_restorable(url: str, plain: Path, engine: str) -> None:
    kind = _backup_kind(plain)
    if kind != engine:
        raise BackupError(f"this is a {ENGINE_NAMES[kind]} backup; this app's database "
                          f"is {ENGINE_NAMES[engine]}")
    existing = user_relations(url)
    if existing:
        raise BackupError(
            f"the database is not empty ({len(existing)} tables or other objects, e.g. "
            f"{', '.join(sorted(existing)[:3])}); restore only into a new, empty database"
        )


def _backup_kind(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError("the decrypted backup is neither a SQLite database nor a pg_dump "
                      "custom-format file")


def user_relations(url: str) -> list[str]:
    """Names of the tables, views, sequences and indexes already in the database."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        target = _sqlite_path(parsed)
        if not target.exists():
            return []
        with _sqlite(target, read_only=True) as connection:
            rows = connection.execute("SELECT name FROM sqlite_master").fetchall()
        return [name for (name,) in rows]
    query = sa.text(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"  # tables, views, sequences, ...
    )
    with _engine(url).connect() as connection:
        return list(connection.scalars(query))


def count_rows(url: str) -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    engine = _engine(url)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                for name, table in sorted(metadata.tables.items())}


def _engine(url: str) -> sa.Engine:
    # No pool: these are one-off connections, closed as soon as the statement is done.
    return sa.create_engine(url, poolclass=NullPool)


# --- SQLite -----------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("the SQLite database must be a plain file path to back it up")
    return Path(url.database)


@contextmanager
def _sqlite(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "")
    connection = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def _sqlite_copy(source: Path, target: Path, *, making_backup: bool) -> None:
    """Copy every page in one step: a consistent snapshot that never restarts.

    A backup file is switched out of WAL mode so that it is one self-contained file;
    when restoring, the backup file is only read."""
    with _sqlite(source, read_only=not making_backup) as src, _sqlite(target) as dst:
        src.backup(dst)
        if making_backup:
            dst.execute("PRAGMA journal_mode=DELETE")
        (check,) = dst.execute("PRAGMA quick_check").fetchone()
    if check != "ok":
        raise BackupError(f"the copy failed SQLite's integrity check: {check}")


@contextmanager
def _written_atomically(path: Path) -> Iterator[Path]:
    """A private temporary file beside `path`, renamed to it only when fully written."""
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise BackupError(f"the folder {path.parent} does not exist; create it first "
                          "(readable by as few people as possible)")
    try:
        handle, partial_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                suffix=".partial")  # mode 0600: health data
    except OSError as error:
        raise BackupError(f"cannot write in {path.parent}: {error.strerror}") from None
    os.close(handle)
    partial = Path(partial_name)
    try:
        yield partial  # the tools write into it and keep its mode: readable by the owner only
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


@contextmanager
def _private_scratch(folder: Path | None) -> Iterator[Path]:
    """A plaintext file in a new folder only the owner may enter (in `folder`, or the
    system's temporary folder), removed with everything in it at the end."""
    try:
        scratch = Path(tempfile.mkdtemp(dir=folder, prefix=".interpreter-support-"))
    except OSError as error:
        raise BackupError(f"cannot make a private temporary folder in "
                          f"{folder or tempfile.gettempdir()}: {error.strerror}") from None
    try:
        plain = scratch / "plain"
        _private_file(plain)
        yield plain
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _private_file(path: Path) -> None:
    """Create `path` readable by its owner only, or take group and others' access away."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


# --- PostgreSQL -----------------------------------------------------------------------


def _pg_display(url: URL) -> str:
    return f"{url.database} on {url.host or 'the local socket'}" + (
        f":{url.port}" if url.port else "")


def _run_pg_tool(url: URL, tool: str, *args: str,
                 encrypt_into: tuple[BinaryIO, BackupKey] | None = None) -> None:
    """Run pg_dump or pg_restore against `url`; the password travels in PGPASSWORD only.
    With `encrypt_into`, the tool's output is encrypted into that file as it comes."""
    from psycopg.conninfo import make_conninfo

    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not on PATH; install the PostgreSQL client tools "
                          "(Debian: postgresql-client) of the server's major version")
    options = {key: value for key, value in url.query.items() if isinstance(value, str)}
    conninfo = make_conninfo(host=url.host, port=url.port, user=url.username,
                             dbname=url.database, **options)
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    # A fixed argument list, no shell; the connection string holds no password.
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([executable, f"--dbname={conninfo}", *args],  # noqa: S603
                                   env=environment, stdout=subprocess.PIPE if encrypt_into
                                   else subprocess.DEVNULL, stderr=errors)
        try:
            if encrypt_into is not None:
                out, key = encrypt_into
                with process.stdout:
                    encryption.encrypt(process.stdout, out, key)
        finally:
            returncode = process.wait()
        errors.seek(0)
        detail = errors.read().decode("utf-8", "replace").strip().splitlines()[-3:]
    if returncode != 0:
        raise BackupError(f"{tool} failed (exit {returncode}): " + " ".join(detail))
