"""Backups are encrypted with age (https://age-encryption.org, through pyrage).

A key file holds one or more lines: `AGE-SECRET-KEY-1...` (an identity: encrypts and
decrypts) or `age1...` (a public recipient: encrypts only, so the machine that makes the
backups need not be able to read them). `#` lines are comments, as in age-keygen's files.
age authenticates every 64 KiB chunk and the end of the stream, so a changed, cut or
wrongly keyed file is refused before anything is restored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyrage
from pyrage import x25519

AGE_MAGIC = b"age-encryption.org/v1\n"


class EncryptionError(RuntimeError):
    """A key file that cannot be used, or a backup that cannot be trusted; says why."""


@dataclass(frozen=True)
class BackupKey:
    path: Path
    identities: tuple[x25519.Identity, ...]
    recipients: tuple[x25519.Recipient, ...]


def read_key(path: Path) -> BackupKey:
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not an age key file"
        raise EncryptionError(f"cannot read the key file {path}: {reason}") from None
    identities, recipients = [], []
    for number, line in enumerate((line.strip() for line in lines), start=1):
        try:
            if line.startswith("AGE-SECRET-KEY-1"):
                identities.append(x25519.Identity.from_str(line))
            elif line.startswith("age1"):
                recipients.append(x25519.Recipient.from_str(line))
            elif line and not line.startswith("#"):
                raise ValueError("neither an age secret key nor an age public key")
        except (ValueError, pyrage.IdentityError, pyrage.RecipientError):
            raise EncryptionError(
                f"line {number} of the key file {path} is not an age key (make one with "
                "`interpreter-support backup-key FILE`)") from None
    mode = path.stat().st_mode & 0o777
    if identities and mode & 0o077:
        raise EncryptionError(f"the key file {path} holds a secret key and others may read "
                              f"it (mode {mode:o}); `chmod 600 {path}` first")
    recipients += [identity.to_public() for identity in identities]
    if not recipients:
        raise EncryptionError(f"the key file {path} holds no age key")
    return BackupKey(path, tuple(identities), tuple(recipients))


def write_new_key(path: Path) -> str:
    """A new identity in a new file readable by its owner only; returns its public key."""
    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise EncryptionError(f"{path} already exists; a key is never overwritten") from None
    except OSError as error:
        raise EncryptionError(f"cannot create {path}: {error.strerror}") from None
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(f"# interpreter-support backup key\n# public key: {public}\n{identity}\n")
    return public


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(AGE_MAGIC)) == AGE_MAGIC


def encrypt(plain: BinaryIO, out: BinaryIO, key: BackupKey) -> None:
    pyrage.encrypt_io(plain, out, list(key.recipients))


def decrypt(encrypted: Path, out: BinaryIO, key: BackupKey) -> None:
    """Write the plaintext to `out`; raises EncryptionError when it cannot be trusted whole."""
    if not key.identities:
        raise EncryptionError(f"the key file {key.path} holds only public keys; restoring "
                              "needs the secret key (AGE-SECRET-KEY-1...)")
    with encrypted.open("rb") as file:
        try:
            pyrage.decrypt_io(file, out, list(key.identities))
        except pyrage.DecryptError:
            raise EncryptionError(f"{encrypted} was not made for the key in {key.path} (or "
                                  "its header was altered); nothing was restored") from None
        except OSError as error:
            if error.errno is not None:  # our side: reading the backup, writing the copy
                raise EncryptionError(f"decrypting {encrypted} failed: {error.strerror}; "
                                      "nothing was restored") from None
            raise EncryptionError(f"{encrypted} is damaged or was altered: it fails its "
                                  "authentication; nothing was restored") from None
