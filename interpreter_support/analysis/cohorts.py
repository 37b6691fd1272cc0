"""What the evaluator selected, and which cohort each client belongs to.

Cohorts are properties of a client, read from the sessions the selection keeps:
- "interpreting": none (no interpreted session), always (share of interpreted sessions at or
  above `always_threshold`) or mixed (anything in between);
- "modality": the predominant interpreting modality (ties go to in_person, then telephone,
  then video), "none" for language-concordant clients;
- "continuity": "same" interpreter throughout or "changed"; only clients with at least two
  interpreted sessions with a known interpreter (one session says nothing about continuity);
- "interpreter_kind": the predominant kind of interpreter (ties in the codebook's order),
  "none" for language-concordant clients; interpreted clients of unknown kind are left out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date

import numpy as np
import pandas as pd

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
_SESSION_KEYS = ["client_key", "episode_key", "session_number"]


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


def apply_selection(
    df: pd.DataFrame, selection: Selection, *, all_roles: bool = False
) -> pd.DataFrame:
    """Rows of the instrument that pass every filter; one perspective unless `all_roles`."""
    keep = df["instrument_id"].eq(selection.instrument_id)
    if not all_roles:
        keep &= df["respondent_role"].eq(selection.perspective)
    for column, allowed in (
        ("site_key", selection.sites),
        ("language", selection.languages),
        ("clinician_key", selection.clinicians),
        ("translation_status", selection.translation_statuses),
    ):
        if allowed:
            keep &= df[column].isin(allowed)
    dates = pd.to_datetime(df["session_date"])
    if selection.date_from:
        keep &= dates >= pd.Timestamp(selection.date_from)
    if selection.date_to:
        keep &= dates <= pd.Timestamp(selection.date_to)
    return df.loc[keep]


def assign_cohorts(df: pd.DataFrame, selection: Selection) -> pd.Series:
    """Cohort per client_key (clients without a cohort under this definition are left out)."""
    sessions = df.drop_duplicates(_SESSION_KEYS)
    interpreted = sessions.loc[sessions["interpreting"].ne("none")]
    clients = pd.Index(sessions["client_key"].unique(), name="client_key")
    concordant = clients.difference(interpreted["client_key"].unique())
    by = selection.cohort_by
    if by == "interpreting":
        cohorts = _by_share(sessions, selection.always_threshold)
    elif by == "modality":
        cohorts = _predominant(interpreted, "interpreting", MODALITIES, concordant)
    elif by == "interpreter_kind":
        known = interpreted.loc[interpreted["interpreter_kind"].ne("")]
        cohorts = _predominant(known, "interpreter_kind", KINDS, concordant)
    else:
        cohorts = _by_continuity(interpreted)
    return cohorts.rename("cohort").rename_axis("client_key").sort_index()


def _by_share(sessions: pd.DataFrame, threshold: float) -> pd.Series:
    share = sessions["interpreting"].ne("none").groupby(sessions["client_key"]).mean()
    labels = np.select([share.eq(0), share.ge(threshold)], ["none", "always"], "mixed")
    return pd.Series(labels, index=share.index, dtype=object)


def _predominant(
    sessions: pd.DataFrame, column: str, order: tuple[str, ...], concordant: pd.Index
) -> pd.Series:
    counts = sessions.groupby(["client_key", column]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(order), fill_value=0)
    predominant = counts.idxmax(axis=1).astype(object)  # first column wins a tie
    none = pd.Series("none", index=concordant, dtype=object)
    return pd.concat([predominant, none])


def _by_continuity(interpreted: pd.DataFrame) -> pd.Series:
    known = interpreted.loc[interpreted["interpreter_key"].ne("")]
    per_client = known.groupby("client_key")["interpreter_key"].agg(["size", "nunique"])
    per_client = per_client.loc[per_client["size"] >= 2]
    labels = np.where(per_client["nunique"].eq(1), "same", "changed")
    return pd.Series(labels, index=per_client.index, dtype=object)
