"""Settings, read once from the environment into a frozen dataclass."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

DEVELOPMENT_MODES = frozenset({"development", "demo"})
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside development/demo


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _env_float(name: str, default: float | None) -> float | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}") from None


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    """Every setting the app reads. `from_env` documents the variable for each one."""

    mode: str = "production"
    secret_key: str = DEFAULT_SECRET_KEY
    database_url: str | None = None
    instance_path: str | None = None
    default_locale: str = "en"
    link_expiry_days: int = 7
    staff_idle_minutes: int = 30
    ratelimit_storage_uri: str = "memory://"
    small_cell_threshold: int = 5
    allow_draft_translations: bool = False
    mt_package_dir: str | None = None
    trusted_proxies: int = 0  # reverse proxies in front that set X-Forwarded-*
    alert_score_cutoff: float = 2.5
    alert_drop_threshold: float | None = None  # None: estimated from the data (RCI)
    testing: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: Any) -> Config:
        """Read `INTERPRETER_SUPPORT_*` and `DATABASE_URL`; keyword overrides win."""
        mode = os.environ.get("INTERPRETER_SUPPORT_ENV", "production")
        values: dict[str, Any] = {
            "mode": mode,
            "secret_key": os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY),
            "database_url": os.environ.get("DATABASE_URL") or None,
            "instance_path": os.environ.get("INTERPRETER_SUPPORT_INSTANCE") or None,
            "default_locale": os.environ.get("DEFAULT_LOCALE", "en"),
            "link_expiry_days": _env_int("LINK_EXPIRY_DAYS", 7),
            "staff_idle_minutes": _env_int("STAFF_IDLE_MINUTES", 30),
            "ratelimit_storage_uri": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            "small_cell_threshold": _env_int("SMALL_CELL_THRESHOLD", 5),
            "allow_draft_translations": _env_bool("ALLOW_DRAFT_TRANSLATIONS", mode == "demo"),
            "mt_package_dir": os.environ.get("MT_PACKAGE_DIR") or None,
            "trusted_proxies": _env_int("TRUSTED_PROXIES", 0),
            "alert_score_cutoff": _env_float("ALERT_SCORE_CUTOFF", 2.5),
            "alert_drop_threshold": _env_float("ALERT_DROP_THRESHOLD", None),
        }
        values.update(overrides)
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**values)

    def with_changes(self, **changes: Any) -> Config:
        return replace(self, **changes)

    @property
    def is_development(self) -> bool:
        return self.mode in DEVELOPMENT_MODES or self.testing

    def check(self) -> None:
        """Refuse settings that are unsafe outside development and demo mode."""
        if self.mode not in DEVELOPMENT_MODES | {"production"}:
            raise ConfigError(
                "INTERPRETER_SUPPORT_ENV must be production, development or demo, "
                f"not {self.mode!r}"
            )
        if not self.is_development and (
            self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise ConfigError(
                "SECRET_KEY is missing or is the development default. Set SECRET_KEY to a "
                "random value of at least 32 characters, for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`, "
                "or set INTERPRETER_SUPPORT_ENV=development for local work."
            )
        if not 3 <= self.small_cell_threshold:
            raise ConfigError("SMALL_CELL_THRESHOLD must be 3 or more")

    def sqlalchemy_url(self, instance_path: str) -> str:
        if self.database_url:
            # psycopg 3 is the PostgreSQL driver; plain URLs would ask for psycopg2
            for prefix in ("postgresql://", "postgres://"):
                if self.database_url.startswith(prefix):
                    return "postgresql+psycopg://" + self.database_url[len(prefix) :]
            return self.database_url
        return "sqlite:///" + str(Path(instance_path) / "interpreter_support.sqlite3")
