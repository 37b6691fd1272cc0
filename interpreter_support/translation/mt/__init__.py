"""Offline machine translation with Argos Translate packages (optional [mt] extra).

Importing this package needs none of the extra's libraries; they are imported on first
use and MTUnavailable is raised when they are missing. Call configure() first.
"""

from interpreter_support.translation.mt.engine import (
    BackTranslation,
    Progress,
    Translation,
    back_translate,
    find_route,
    translate,
    translate_many,
)
from interpreter_support.translation.mt.errors import (
    InvalidPackage,
    MTError,
    MTNotConfigured,
    MTUnavailable,
    NoRoute,
    PackageNotFound,
)
from interpreter_support.translation.mt.languages import argos_code, language_name
from interpreter_support.translation.mt.memory import (
    InMemoryTranslationMemory,
    MemoryKey,
    TranslationMemory,
)
from interpreter_support.translation.mt.packages import (
    InstalledPackage,
    install_package,
    list_packages,
    remove_package,
)
from interpreter_support.translation.mt.settings import (
    MTSettings,
    configure,
    current_settings,
    is_available,
)
from interpreter_support.translation.mt.similarity import similarity

__all__ = [
    "BackTranslation",
    "InMemoryTranslationMemory",
    "InstalledPackage",
    "InvalidPackage",
    "MTError",
    "MTNotConfigured",
    "MTSettings",
    "MTUnavailable",
    "MemoryKey",
    "NoRoute",
    "PackageNotFound",
    "Progress",
    "Translation",
    "TranslationMemory",
    "argos_code",
    "back_translate",
    "configure",
    "current_settings",
    "find_route",
    "install_package",
    "is_available",
    "language_name",
    "list_packages",
    "remove_package",
    "similarity",
    "translate",
    "translate_many",
]
