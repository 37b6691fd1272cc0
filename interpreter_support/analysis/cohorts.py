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

import numpy as np
import pandas as pd

from interpreter_support.analysis.selection import (
    KINDS,
    Selection,
)
from interpreter_support.vocabulary import MODALITIES

_SESSION_KEYS = ["client_key", "episode_key", "session_number"]


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
