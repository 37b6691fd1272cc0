"""Helpers for the locale tests: visible page text, and each catalog's English."""

import re
from html import unescape

from babel.messages.pofile import read_po

from interpreter_support.i18n.locales import translations_dir

TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    """The text a reader sees: no tags, no <title>/<svg> internals, entities decoded."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(TAG.sub(" ", html)))


def untranslated_messages(code: str) -> list[str]:
    """English UI strings that must not appear on a page in `code`: every message that is
    untranslated, or translated into something else than the English."""
    path = translations_dir() / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or "%(" in message.id:
            continue
        if message.string != message.id and len(message.id) > 3:
            found.append(message.id)
    return found

