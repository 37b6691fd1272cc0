"""What an evaluator may select (cohort definitions, perspectives, covariates), as plain
data: pages and commands use it without loading pandas."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date

from interpreter_support.vocabulary import MODALITIES, InterpreterKind, RespondentRole, codes

COHORT_BY = ("interpreting", "modality", "continuity", "interpreter_kind")
PERSPECTIVES = codes(RespondentRole)
COVARIATES = ("age_band", "gender", "language_group")
MIN_K = 3
KINDS = codes(InterpreterKind)
COHORT_LEVELS = {
    "interpreting": ("none", "always", "mixed"),
    "modality": ("none", *MODALITIES),
    "continuity": ("same", "changed"),
    "interpreter_kind": ("none", *KINDS),
}
DEFAULT_REFERENCE = {
    "interpreting": "none",
    "modality": "in_person",
    "continuity": "same",
    "interpreter_kind": "certified_professional",
}
# Instruments compared as one: the parallel forms of each perspective.
FAMILIES = {"alliance": ("alliance-client", "alliance-clinician", "alliance-interpreter")}
FAMILY_OF = {form: family for family, forms in FAMILIES.items() for form in forms}


@dataclass(frozen=True)
class Selection:
    """An evaluator's selection; empty filter tuples mean "all"."""

    instrument_id: str
    score: str = "score_total"
    perspective: str = "client"
    cohort_by: str = "interpreting"
    always_threshold: float = 1.0
    reference: str | None = None
    sites: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    languages: tuple[str, ...] = ()
    clinicians: tuple[str, ...] = ()
    translation_statuses: tuple[str, ...] = ()
    covariates: tuple[str, ...] = ()
    k: int = 5

    def __post_init__(self) -> None:
        for field in fields(self):  # lists from a form or JSON become tuples (hashable, frozen)
            if isinstance(getattr(self, field.name), list):
                object.__setattr__(self, field.name, tuple(getattr(self, field.name)))
        if self.k < MIN_K:
            raise ValueError(f"k must be at least {MIN_K}, got {self.k}")
        _check_choice("cohort_by", self.cohort_by, COHORT_BY)
        _check_choice("perspective", self.perspective, PERSPECTIVES)
        _check_choice("reference", self.reference_cohort, COHORT_LEVELS[self.cohort_by])
        for covariate in self.covariates:
            _check_choice("covariate", covariate, COVARIATES)
        if not self.score.startswith("score_"):
            raise ValueError(f"score must be a score_* column, got {self.score!r}")
        if not 0 < self.always_threshold <= 1:
            raise ValueError("always_threshold must be in (0, 1]")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from is after date_to")

    @property
    def reference_cohort(self) -> str:
        return self.reference or DEFAULT_REFERENCE[self.cohort_by]

    @property
    def levels(self) -> tuple[str, ...]:
        """Cohort labels in display order, the reference first."""
        others = [
            level for level in COHORT_LEVELS[self.cohort_by] if level != self.reference_cohort
        ]
        return (self.reference_cohort, *others)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["reference"] = self.reference_cohort
        for key in ("date_from", "date_to"):
            data[key] = data[key].isoformat() if data[key] else None
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in data.items()
        }


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
