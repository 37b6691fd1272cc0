"""The languages people speak and read: any BCP 47 language, not only the interface's.

A client's preferred language, a session's languages and an interpreter's languages are
stored as a BCP 47 tag ("am", "kmr", "de-CH"), or as the interface locale's own code where
one exists ("fa_AF" for Dari, "zh_Hans"), so the interface can follow them. Names come from
CLDR through langcodes, in the reader's language with the language's own name beside it.
"""

from __future__ import annotations

from functools import lru_cache

import langcodes

from interpreter_support.i18n.locales import LOCALES, LOCALES_BY_CODE, current_locale
from interpreter_support.text_safety import is_safe

MAX_LENGTH = 16  # the columns that hold a language
_LOCALE_BY_TAG = {loc.tag: loc.code for loc in LOCALES}
# Offered first in the list (any other language can be typed by name or code): the
# interface locales, then languages clinics serving refugees and migrants often meet.
SUGGESTED = (*(loc.code for loc in LOCALES), "am", "tig", "om", "kmr", "rhg", "sw", "ha", "ln",
             "rw", "ne", "my", "bn", "hi", "pa", "ta", "vi", "sq", "hy", "ka", "tr", "de", "it",
             "pt", "pl", "ro", "sr", "bs")


def language_code(raw: str | None) -> str | None:
    """The stored code for a language typed as a code or a name ("Amharic", "AM", "prs"),
    or None when it names no known language."""
    text = (raw or "").strip()
    if not text or not is_safe(text) or not text.isprintable():
        return None
    if text in LOCALES_BY_CODE:
        return text
    if langcodes.tag_is_valid(text.replace("_", "-")):
        tag = langcodes.standardize_tag(text.replace("_", "-"))
    else:
        try:
            tag = langcodes.find(text).to_tag()
        except LookupError:
            return None
    if langcodes.Language.get(tag).display_name("en").startswith("Unknown language"):
        return None
    code = _LOCALE_BY_TAG.get(tag, tag)
    return code if len(code) <= MAX_LENGTH else None


def bcp47(code: str) -> str:
    """The BCP 47 tag of a stored code (for lang attributes and exports)."""
    return LOCALES_BY_CODE[code].tag if code in LOCALES_BY_CODE else code


@lru_cache(maxsize=4096)
def language_label(code: str, reader: str) -> str:
    """"Amharic (አማርኛ)" for a reader of English; the endonym alone when they agree."""
    language = langcodes.Language.get(bcp47(code))
    name = language.display_name(bcp47(reader))
    if name.startswith("Unknown language"):
        return code
    own = language.autonym()
    return name if own == name else f"{name} ({own})"


@lru_cache(maxsize=1024)
def endonym(code: str) -> str:
    """The language's name in itself ("Deutsch", "አማርኛ"); the code when CLDR has none."""
    if code in LOCALES_BY_CODE or bcp47(code) in _LOCALE_BY_TAG:
        return LOCALES_BY_CODE[language_code(code) or code].endonym
    own = langcodes.Language.get(bcp47(code)).autonym()
    return code if own.startswith("Unknown language") else own


@lru_cache(maxsize=1024)
def direction(code: str) -> str:
    """"rtl" for a right-to-left script (by CLDR's likely script), else "ltr"."""
    script = langcodes.Language.get(bcp47(code)).maximize().script
    return "rtl" if script in RTL_SCRIPTS else "ltr"


RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand",
                         "Samr", "Yezi"})


class LanguageNames:
    """`language_names.get(code)` in templates: any language, named for this reader."""

    def __init__(self, reader: str):
        self.reader = reader

    def get(self, code: str | None, default: str | None = None) -> str | None:
        if not code:
            return default
        return language_label(str(code), self.reader)


def suggestions(reader: str) -> list[tuple[str, str]]:
    """(code, label) of the suggested languages, sorted by label for this reader."""
    return sorted(((code, language_label(code, reader)) for code in SUGGESTED),
                  key=lambda pair: pair[1].casefold())


def init_app(app) -> None:
    """Templates name any language for the reader as `language_names.get(code)`."""

    @app.context_processor
    def language_context() -> dict[str, object]:
        return {"language_names": LanguageNames(current_locale().code), "endonym": endonym,
                "text_direction": direction}
