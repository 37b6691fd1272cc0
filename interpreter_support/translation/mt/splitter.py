"""Rule-based sentence splitting, so argostranslate never fetches a splitter model.

Argos packages may ship no sentence-boundary model; argostranslate then downloads one
(MiniSBD) on first use. The engine splits text itself instead: paragraphs at newlines,
sentences at terminal punctuation followed by white space (unless the next word starts
in lower case or the period ends a known abbreviation), and after CJK terminators.
Sentences longer than the model's budget are cut at clause marks, then between words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Terminators: Latin, ellipsis, Arabic question mark, Urdu full stop; then closing marks.
_BOUNDARY = re.compile(r"[.!?\u2026\u061f\u06d4]+[\"'\u201d\u2019\u00bb)\]]*\s+")
_CJK_BOUNDARY = re.compile(r"[\u3002\uff01\uff1f]+")
_CLAUSE_END = re.compile(r"(?<=[,;:\u060c\u061b\u3001])\s+")
ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "e.g", "i.e", "etc", "vs", "approx", "no", "st"}
)

TokenCounter = Callable[[str], int]


def split_paragraphs(text: str) -> list[str]:
    """Newline-separated paragraphs; the translation keeps the same line structure."""
    return text.split("\n")


def split_sentences(paragraph: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        if _continues(paragraph, start, match):
            continue
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [piece for sentence in sentences for piece in _split_cjk(sentence) if piece]


def _continues(paragraph: str, start: int, match: re.Match[str]) -> bool:
    """True when this punctuation does not end a sentence."""
    following = paragraph[match.end() : match.end() + 1]
    if following.islower():
        return True
    words = paragraph[start : match.start()].split()
    return bool(words) and paragraph[match.start()] == "." and words[-1].lower() in ABBREVIATIONS


def _split_cjk(sentence: str) -> list[str]:
    pieces, start = [], 0
    for match in _CJK_BOUNDARY.finditer(sentence):
        pieces.append(sentence[start : match.end()].strip())
        start = match.end()
    pieces.append(sentence[start:].strip())
    return pieces


def fit_to_budget(sentence: str, count_tokens: TokenCounter, max_tokens: int) -> list[str]:
    """Cut a sentence into pieces of at most max_tokens model tokens each.

    Shortcut: a tokenizer yields at most one token per character plus a word-start
    marker, so a sentence shorter than the budget in characters is not tokenized."""
    if len(sentence) < max_tokens or count_tokens(sentence) <= max_tokens:
        return [sentence]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(sentence):
        pieces.extend(_pack(clause.split(" "), count_tokens, max_tokens))
    return _pack(pieces, count_tokens, max_tokens)


def _pack(parts: list[str], count_tokens: TokenCounter, max_tokens: int) -> list[str]:
    """Greedily join parts with spaces while the joined text stays within the budget."""
    packed: list[str] = []
    for part in parts:
        if not part:
            continue
        candidate = f"{packed[-1]} {part}" if packed else part
        if packed and count_tokens(candidate) <= max_tokens:
            packed[-1] = candidate
        elif count_tokens(part) <= max_tokens:
            packed.append(part)
        else:
            packed.extend(_cut_characters(part, count_tokens, max_tokens))
    return packed


def _cut_characters(word: str, count_tokens: TokenCounter, max_tokens: int) -> list[str]:
    """Last resort for unspaced text (e.g. Chinese): equal slices that fit the budget."""
    size = max(1, len(word) * max_tokens // count_tokens(word))
    while any(count_tokens(word[i : i + size]) > max_tokens for i in range(0, len(word), size)):
        size = max(1, size // 2)
    return [word[i : i + size] for i in range(0, len(word), size)]
