"""Fixtures for the cohort statistics: synthetic data and a builder of hand-made rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import pytest

from interpreter_support.analysis.dataset import make_synthetic_dataset, validate_dataset

ROW_DEFAULTS = {
    "site_key": "S1",
    "language": "ar",
    "language_group": "arabic",
    "clinician_key": "C1",
    "interpreting": "none",
    "interpreter_key": "",
    "interpreter_kind": "",
    "interpreter_changed": False,
    "briefing": False,
    "debrief": False,
    "respondent_role": "client",
    "instrument_id": "alliance-12",
    "instrument_version": "1.0",
    "administration_language": "ar",
    "translation_status": "approved",
    "mode": "self",
    "channel": "kiosk",
    "score_total": 3.0,
    "age_band": "26-40",
    "gender": "",
    "episode_outcome": "completed",
}


@pytest.fixture(scope="session")
def synthetic() -> pd.DataFrame:
    """A validated synthetic dataset, shared read-only by the tests."""
    return validate_dataset(make_synthetic_dataset(400, seed=11))


@pytest.fixture
def make_rows() -> Callable[..., pd.DataFrame]:
    """Build a valid frame from short specs: (client, session, overrides) per row.

    The episode is the client's; session dates are weekly; episode_sessions is the
    client's largest session number unless given.
    """

    def build(specs: list[tuple[str, int, dict]]) -> pd.DataFrame:
        rows = []
        for client, session, overrides in specs:
            row = ROW_DEFAULTS | {
                "client_key": client,
                "episode_key": f"E-{client}",
                "session_number": session,
                "session_date": date(2024, 1, 1) + timedelta(days=7 * session),
            }
            rows.append(row | overrides)
        frame = pd.DataFrame(rows)
        if "episode_sessions" not in frame:
            frame["episode_sessions"] = frame.groupby("client_key")["session_number"].transform(
                "max"
            )
        return validate_dataset(frame)

    return build
