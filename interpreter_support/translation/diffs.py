"""What an edit changed in a text, word by word, for the review page's history."""

from __future__ import annotations

import difflib
import re

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str | None, new: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: kind is "same", "removed" or "added"; no old text: all added."""
    if old is None:
        return [("added", new)]
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("removed", "".join(before[a1:a2])))
        if b2 > b1:
            pieces.append(("added", "".join(after[b1:b2])))
    return pieces
