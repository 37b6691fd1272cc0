"""Problems found in an imported FHIR Questionnaire, and the error that lists them.

Kept apart from fhir_validation.py so that the export (imported by the web pages) never
loads fhir.resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .reader import DefinitionError


class Severity(StrEnum):
    ERROR = "error"  # nothing is imported
    UNSUPPORTED = "unsupported"  # nothing is imported, unless --skip-unsupported leaves it out
    WARNING = "warning"  # imported, with a stated default or reading


@dataclass(frozen=True)
class Problem:
    path: str  # FHIRPath-like, with 0-based indexes: Questionnaire.item[3].answerOption[1]
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class FhirImportError(DefinitionError):
    """The resource is malformed, or uses something the engine cannot represent.

    `problems` lists every refusal of the resource, in document order; the message has one
    line per problem.
    """

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        lines = [str(problem) for problem in self.problems]
        if any(problem.severity is Severity.UNSUPPORTED for problem in self.problems):
            lines.append("(--skip-unsupported imports the rest and lists what it left out)")
        super().__init__("\n".join(lines))


def document_order(problem: Problem) -> list[Any]:
    """Sort key: paths in the order their elements appear (item[2] before item[10])."""
    key: list[Any] = []
    for part in problem.path.replace("]", "").replace("[", ".").split("."):
        key.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return key
