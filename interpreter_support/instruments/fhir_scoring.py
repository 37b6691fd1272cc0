"""Recognise a calculated total: does an SDC `calculatedExpression` sum the item scores?

We never evaluate FHIRPath. Two shapes that published Questionnaires use are read:

- a sum over the answers' weights: `%resource.item....answer.value.weight().sum()` (or
  `ordinal()`), as in the MII PHQ-9;
- `%q1 + %q2 + …` over variables that each look up one item's `ordinalValue`, optionally as
  `iif(%q1.exists(), %q1, 0)` inside `iif(%any_answered, …, {})`, as in the LHC PHQ-9.

Anything else is not recognised, and the importer says so rather than guess a total.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .fhir_problems import Problem, Severity

# What a recognised total keeps of its item, for the export (fhir_export writes it back).
KEPT_TOTAL = ("linkId", "type", "text", "_text", "code", "prefix")

SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
CALCULATED = SDC + "sdc-questionnaire-calculatedExpression"
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"

_WEIGHT_SUM = re.compile(r"\.(?:weight|ordinal)\(\)\s*\.sum\(\)\s*$")
_EXISTS_OR_ZERO = re.compile(r"iif\(\s*%(\w+)\.exists\(\)\s*,\s*%\1\s*,\s*0\s*\)")
_GUARDED = re.compile(r"^iif\(\s*%\w+\s*,(.*),\s*\{\s*\}\s*\)$", re.DOTALL)
_TERM = re.compile(r"^%(\w+)$")
_SCORE_MARKS = ("ordinalValue", "weight()", "ordinal()")
_LINK_ID = re.compile(r"linkId\s*=\s*'([^']*)'")


@dataclass(frozen=True)
class CalculatedSum:
    """A recognised sum: of every scored item (link_ids None), or of the items named."""

    link_ids: frozenset[str] | None


@dataclass(frozen=True)
class Derived:
    """A calculated item found by the importer: where, the item, its sum, the item before."""

    where: str
    raw: Mapping[str, Any]
    found: CalculatedSum
    after: str | None


def check_totals(derived: list[Derived], items: list[dict[str, Any]],
                 scales: Mapping[str, dict[str, Any]]
                 ) -> tuple[list[Problem], list[dict[str, Any]]]:
    """Each calculated total against the imported items: a warning that states the range it
    is read as, or unsupported when it sums only some scored items; and the totals to keep."""
    scored = [i for i in items if i.get("scale") and i.get("scored", True)]
    names = sorted(i["link_id"] for i in scored)
    low = sum(scales[i["scale"]]["options"][0]["value"] for i in scored)
    high = sum(scales[i["scale"]]["options"][-1]["value"] for i in scored)
    problems, kept = [], []
    for total in derived:
        link_id = total.raw["linkId"]
        if total.found.link_ids is not None and total.found.link_ids != set(names):
            problems.append(Problem(total.where, f"the calculated total '{link_id}' sums "
                                    f"{sorted(total.found.link_ids)}, not every scored item "
                                    f"{names}", Severity.UNSUPPORTED))
            continue
        problems.append(Problem(total.where, f"calculated total '{link_id}' is derived, not "
                                "asked: read as the instrument's total, the sum of the ordinal "
                                f"values of the {len(names)} scored items ({low}–{high}); it is "
                                "valid only when every scored item is answered",
                                Severity.WARNING))
        kept.append({key: total.raw[key] for key in KEPT_TOTAL if key in total.raw}
                    | {"after": total.after})
    return problems, kept


def calculated_expression(raw: Mapping[str, Any]) -> tuple[int, str] | None:
    """The index of the item's calculatedExpression extension and its expression text."""
    for index, ext in enumerate(raw.get("extension") or []):
        if isinstance(ext, Mapping) and ext.get("url") == CALCULATED:
            return index, str((ext.get("valueExpression") or {}).get("expression") or "")
    return None


def variables(elements: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The variables in scope: name -> FHIRPath, from the root down to the item."""
    found: dict[str, str] = {}
    for element in elements:
        for ext in element.get("extension") or []:
            if isinstance(ext, Mapping) and ext.get("url") == VARIABLE:
                expression = ext.get("valueExpression") or {}
                if expression.get("name"):
                    found[str(expression["name"])] = str(expression.get("expression") or "")
    return found


def recognise_sum(expression: str, in_scope: Mapping[str, str]) -> CalculatedSum | None:
    """What the expression sums, or None when it is not a plain sum of item scores."""
    text = expression.strip()
    if _WEIGHT_SUM.search(text):
        return CalculatedSum(None)
    text = _EXISTS_OR_ZERO.sub(lambda match: "%" + match[1], text)
    guarded = _GUARDED.match(text)
    body = guarded[1] if guarded else text
    link_ids = set()
    for term in body.split("+"):
        variable = _TERM.match(term.strip())
        looked_up = _score_lookup(in_scope.get(variable[1], ""), in_scope) if variable else None
        if looked_up is None:
            return None
        link_ids.add(looked_up)
    return CalculatedSum(frozenset(link_ids)) if link_ids else None


def _score_lookup(expression: str, in_scope: Mapping[str, str]) -> str | None:
    """The linkId whose answer's ordinal value this variable reads, if it reads one."""
    names = set(_LINK_ID.findall(expression))
    used = " ".join(in_scope.get(name, "") for name in re.findall(r"%(\w+)", expression))
    reads_score = any(mark in expression + " " + used for mark in _SCORE_MARKS)
    return names.pop() if reads_score and len(names) == 1 else None
