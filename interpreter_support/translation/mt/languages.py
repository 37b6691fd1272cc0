"""Map the app's locale codes to the language codes Argos packages use.

Argos packages name languages with ISO 639-1 codes where one exists, plus a few of their
own ("zt" Traditional Chinese, "pb" Brazilian Portuguese). The app's locales are
Babel-style ("fa_AF", "zh_Hans", "ckb"). ARGOS_CODES lists every locale whose Argos
code is not simply its language subtag.

| app locale                  | Argos code | note                                          |
|-----------------------------|------------|-----------------------------------------------|
| fa_AF                       | prs        | Dari: kept apart from Iranian Persian ("fa"), |
|                             |            | so a Farsi model is never used for it silently |
| zh, zh_Hans, zh_CN, zh_SG   | zh         | Simplified Chinese                            |
| zh_Hant, zh_TW, zh_HK       | zt         | Traditional Chinese                           |
| pt_BR                       | pb         | Brazilian Portuguese                          |
| anything else, e.g. ps, ckb | subtag     | "ar_EG" -> "ar", "ckb" -> "ckb"               |

No public Argos model covers Pashto (ps), Dari (prs) or Sorani Kurdish (ckb) today:
find_route() raises NoRoute for them until a clinic installs one.
"""

from __future__ import annotations

import re

ARGOS_CODES: dict[str, str] = {
    "fa_af": "prs",
    "zh_hans": "zh",
    "zh_cn": "zh",
    "zh_sg": "zh",
    "zh_hant": "zt",
    "zh_tw": "zt",
    "zh_hk": "zt",
    "pt_br": "pb",
}

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic",
    "ckb": "Sorani Kurdish",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian (Farsi)",
    "fr": "French",
    "pb": "Portuguese (Brazil)",
    "prs": "Dari",
    "ps": "Pashto",
    "pt": "Portuguese",
    "ru": "Russian",
    "so": "Somali",
    "ti": "Tigrinya",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "zh": "Chinese (Simplified)",
    "zt": "Chinese (Traditional)",
}

_LOCALE = re.compile(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*")


def argos_code(locale: str) -> str:
    """The Argos language code for an app locale ("fa_AF" -> "prs", "ar_EG" -> "ar")."""
    if not _LOCALE.fullmatch(locale):
        raise ValueError(f"not a language code: {locale!r}")
    normalized = locale.replace("-", "_").lower()
    return ARGOS_CODES.get(normalized, normalized.split("_")[0])


def language_name(code: str) -> str:
    """An English name for messages and logs; the UI localises from the code."""
    return LANGUAGE_NAMES.get(code, code)
