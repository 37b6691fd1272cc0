"""Locales, locale choice and text direction.

The order in which a request's locale is chosen: `?lang=` (remembered for the visit), the
respondent's language on client pages (link and kiosk), the signed-in user's setting,
Accept-Language, then the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


@dataclass(frozen=True)
class SupportedLocale:
    code: str  # gettext catalog name, e.g. "fa_AF"
    endonym: str  # the language's name in itself

    @property
    def tag(self) -> str:
        """BCP 47 tag for `lang` and `hreflang` attributes."""
        return self.code.replace("_", "-")

    @property
    def direction(self) -> str:
        return Locale.parse(self.code).character_order == "right-to-left" and "rtl" or "ltr"


LOCALES: tuple[SupportedLocale, ...] = (
    SupportedLocale("en", "English"),
    SupportedLocale("es", "Español"),
    SupportedLocale("fr", "Français"),
    SupportedLocale("ar", "العربية"),
    SupportedLocale("fa", "فارسی"),
    SupportedLocale("fa_AF", "دری"),
    SupportedLocale("ps", "پښتو"),
    SupportedLocale("ur", "اردو"),
    SupportedLocale("ckb", "کوردیی ناوەندی"),
    SupportedLocale("uk", "Українська"),
    SupportedLocale("ru", "Русский"),
    SupportedLocale("so", "Soomaali"),
    SupportedLocale("ti", "ትግርኛ"),
    SupportedLocale("zh_Hans", "简体中文"),
)
LOCALES_BY_CODE = {loc.code: loc for loc in LOCALES}
LOCALE_CODES = tuple(LOCALES_BY_CODE)
SESSION_KEY = "locale"


def normalise(code: str | None) -> str | None:
    """Map `fa-AF`, `fa_af` or `zh-Hans` onto a supported catalog code, else None."""
    if not code:
        return None
    wanted = code.strip().replace("-", "_").lower()
    for known in LOCALE_CODES:
        if known.lower() == wanted:
            return known
    return None


def select_locale() -> str:
    if not has_request_context():  # CLI and background work use the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    requested = normalise(request.args.get("lang"))
    if requested:
        session[SESSION_KEY] = requested
        return requested
    remembered = normalise(session.get(SESSION_KEY))
    if remembered:
        return remembered
    respondent = normalise(g.get("respondent_language"))
    if respondent:
        return respondent
    if current_user and current_user.is_authenticated:
        preferred = normalise(getattr(current_user, "locale", None))
        if preferred:
            return preferred
    accepted = request.accept_languages.best_match([loc.tag for loc in LOCALES])
    return normalise(accepted) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> SupportedLocale:
    return LOCALES_BY_CODE.get(str(get_locale()), LOCALES[0])


def translations_dir() -> Path:
    """The catalogs: inside the installed package, or at the top of a source checkout."""
    package_dir = Path(__file__).resolve().parents[1]
    for candidate in (package_dir / "translations", package_dir.parent / "translations"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError(f"no translations folder beside {package_dir}")


def init_app(app: Flask) -> None:
    from interpreter_support.extensions import babel

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(translations_dir())
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def locale_context() -> dict[str, object]:
        return {
            "current_locale": current_locale(),
            "supported_locales": LOCALES,
        }
