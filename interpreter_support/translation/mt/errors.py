"""Errors the machine-translation engine raises; all derive from MTError."""

from __future__ import annotations

from interpreter_support.translation.mt.languages import language_name


class MTError(Exception):
    """Base class: anything the MT engine refuses or cannot do."""


class MTUnavailable(MTError):
    """The optional [mt] extra (argostranslate, ctranslate2, sentencepiece, sacrebleu)
    is not installed."""


class MTNotConfigured(MTError):
    """configure(package_dir) has not been called in this process."""


class InvalidPackage(MTError):
    """A file offered for installation is not a usable Argos translate package."""


class PackageNotFound(MTError):
    """No installed package translates the requested pair."""


class NoRoute(MTError):
    """No installed package, nor two through English, translates this pair."""

    def __init__(self, from_code: str, to_code: str) -> None:
        self.from_code = from_code
        self.to_code = to_code
        super().__init__(
            f"No machine translation from {language_name(from_code)} ({from_code}) "
            f"to {language_name(to_code)} ({to_code}) is installed: install a package for "
            "this pair, or one into English and one out of English."
        )
