"""Errors that operations raise for the forms, CLI and pages to show."""

from __future__ import annotations


class InvalidRecord(ValueError):
    """Field-level problems; nothing was written."""

    def __init__(self, errors: dict[str, object]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors
