"""Check a Questionnaire with fhir.resources, and collect problems rather than stop at one.

The R4B Questionnaire model of fhir.resources (R4B has the same Questionnaire as R4) does the
structural validation. Two of its findings are defects of published files that do not touch
what we import, so they become warnings instead of refusals (both are listed in
instruments/README.md):

- a number where an extension wants a `valueString` (LHC's PHQ-9 has `"valueString": 1` in
  a `questionnaire-optionPrefix`), read as its text;
- an SDC `variable` or expression name that is not an R4 `id` (`q1_value`): R5 allows it,
  and we never evaluate variables.

fhir.resources also refuses the primitive extension of an extension's value (`_valueString`
next to `valueString`, valid R4 JSON). Those elements are taken out, checked on their own as
FHIR Elements, and the rest is validated as usual: validation is never turned off.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B.element import Element
from fhir.resources.R4B.questionnaire import Questionnaire
from pydantic import ValidationError

from .fhir_problems import FhirImportError as FhirImportError
from .fhir_problems import Problem, Severity, document_order


def fhir_path(loc: tuple[Any, ...], root: str = "Questionnaire") -> str:
    return root + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def check_structure(resource: Any) -> list[Problem]:
    """Every structural problem of the resource, as errors and tolerated warnings."""
    if not isinstance(resource, Mapping) or resource.get("resourceType") != "Questionnaire":
        return [Problem("Questionnaire.resourceType", "expected 'Questionnaire'")]
    stripped, primitive_extensions = _without_value_extensions(resource, ())
    problems: list[Problem] = []
    for loc, element in primitive_extensions:
        problems += _errors(Element, element, loc)
    problems += _errors(Questionnaire, stripped, ())
    return sorted(problems, key=document_order)


def _errors(model: type, data: Any, loc: tuple[Any, ...]) -> list[Problem]:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [_problem(loc + tuple(error["loc"]), error) for error in exc.errors()]
    return []


def _problem(loc: tuple[Any, ...], error: Mapping[str, Any]) -> Problem:
    where, value = fhir_path(loc), error.get("input")
    in_extension = "extension" in loc[:-1]
    if (in_extension and loc[-1] == "valueString" and error["type"] == "string_type"
            and isinstance(value, int | float) and not isinstance(value, bool)):
        return Problem(where, f"a number ({value}) where FHIR wants a string; read as "
                              f"'{value}'", Severity.WARNING)
    if loc[-2:-1] == ("valueExpression",) and loc[-1] == "name" and isinstance(value, str):
        return Problem(where, f"variable name '{value}' is not an R4 id (R5 allows it); kept, "
                              "never evaluated here", Severity.WARNING)
    return Problem(where, error["msg"])


def _without_value_extensions(
    data: Any, loc: tuple[Any, ...]
) -> tuple[Any, list[tuple[tuple[Any, ...], Any]]]:
    """A copy without `_value[x]` on extensions, and those elements with their locations."""
    taken: list[tuple[tuple[Any, ...], Any]] = []
    if isinstance(data, list):
        copies = []
        for index, entry in enumerate(data):
            copy, found = _without_value_extensions(entry, (*loc, index))
            copies.append(copy)
            taken += found
        return copies, taken
    if not isinstance(data, Mapping):
        return data, taken
    is_extension = "url" in data and len(loc) >= 2 and loc[-2] in ("extension",
                                                                  "modifierExtension")
    copy = {}
    for key, value in data.items():
        if is_extension and key.startswith("_value"):
            taken.append(((*loc, key), value))
            continue
        copy[key], found = _without_value_extensions(value, (*loc, key))
        taken += found
    return copy, taken
