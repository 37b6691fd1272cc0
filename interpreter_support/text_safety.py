"""Which characters a stored text may hold.

Refused everywhere text is stored: control characters other than newline and tab (NUL,
escape sequences), bidi embeddings, overrides and isolates (they reorder what a reader
sees, "Trojan Source"), surrogates, and U+FFFD, the replacement character that marks
bytes which were not valid in the form's encoding. The plain marks LRM, RLM and ALM and
the joiners ZWNJ/ZWJ, which Persian and Arabic need, are allowed.
"""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\n\t")
REPLACEMENT = "\ufffd"


def forbidden(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cc":
        return char not in ALLOWED_CONTROLS
    return category == "Cs" or char in BIDI_CONTROLS or char == REPLACEMENT


def is_safe(text: str, *, multiline: bool = True) -> bool:
    """True when `text` holds no forbidden character (nor a newline, unless multiline)."""
    if not multiline and ("\n" in text or "\t" in text):
        return False
    return not any(forbidden(char) for char in text)


# A CSV cell starting like this would run as a formula in a spreadsheet that opens it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text that a spreadsheet would run as a formula, with a leading quote; other
    values (numbers included, negative ones too) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
