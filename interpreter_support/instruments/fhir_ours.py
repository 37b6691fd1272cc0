"""Our own extensions on a Questionnaire (listed in instruments/README.md), read back.

fhir_export.py writes them; an instrument exported here and imported again is the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fhir_export import EXT_LANGUAGE, EXT_SCALE, EXT_SCORING, EXT_SUBSCALE


def extensions(element: Mapping[str, Any], url: str) -> list[Mapping[str, Any]]:
    found = (element.get("extension") or []) if isinstance(element, Mapping) else []
    return [ext for ext in found if isinstance(ext, Mapping) and ext.get("url") == url]


def value(element: Mapping[str, Any], url: str, key: str) -> Any:
    found = extensions(element, url)
    return found[0].get(key) if found else None


def translated(ext: Mapping[str, Any]) -> str | None:
    """The content of a standard translation extension (or of our subscale title)."""
    content = extensions(ext, "content")
    found = (content[0].get("valueString") or content[0].get("valueMarkdown")) if content else None
    return None if found is None else str(found)


def declared_scales(resource: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {value(ext, "name", "valueCode"): {"orientation": value(ext, "orientation",
                                                                   "valueCode")}
            for ext in extensions(resource, EXT_SCALE)}


def declared_subscales(resource: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {value(ext, "name", "valueCode"): {"title": {
                value(t, "lang", "valueCode"): translated(t) for t in extensions(ext, "title")}}
            for ext in extensions(resource, EXT_SUBSCALE)}


def declared_statuses(resource: Mapping[str, Any]) -> dict[str, str]:
    return {value(ext, "lang", "valueCode"): value(ext, "status", "valueCode")
            for ext in extensions(resource, EXT_LANGUAGE)}


def scoring_extension(resource: Mapping[str, Any]) -> dict[str, Any] | None:
    found = extensions(resource, EXT_SCORING)
    if not found:
        return None
    ext = found[0]
    count = value(ext, "min-answered-count", "valueInteger")
    fraction = value(ext, "min-answered-fraction", "valueDecimal")
    totals = [sub["valueCode"] for sub in extensions(ext, "total-subscale")]
    return {
        "method": value(ext, "method", "valueCode"),
        "min_answered": {"count": count} if count is not None else {"fraction": fraction},
        "prorate": bool(value(ext, "prorate", "valueBoolean")),
        "total_subscales": totals or None,
    }
