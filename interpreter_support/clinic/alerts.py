"""Scores over a client's sessions, per perspective, and the alerts a clinician should see.

An alert is raised when a client's latest score drops from the previous session by more
than the reliable-change threshold (a possible rupture), or falls under the cut-off. The
threshold is set in the configuration, or estimated from the stored data as the reliable
change index 1.96 * sqrt(2) * SD * sqrt(1 - alpha) (Jacobson and Truax).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.instruments.model import ItemType
from interpreter_support.instruments.scoring import keyed_value
from interpreter_support.instruments.store import definition_of, version_by_instrument
from interpreter_support.models import (
    Administration,
    Answer,
    Client,
    ClinicalSession,
    Episode,
    InstrumentVersion,
    ScoreRow,
)

ALLIANCE = {"client": "alliance-client", "clinician": "alliance-clinician",
            "interpreter": "alliance-interpreter"}
FALLBACK_THRESHOLD = 1.0
MIN_FOR_ESTIMATE = 30


@dataclass(frozen=True)
class ScorePoint:
    client_id: int
    client_code: str
    session_id: int
    episode_id: int
    number: int
    starts_at: datetime
    interpreting: str
    interpreter_id: int | None
    instrument_id: str
    score: float


def score_points(client_ids: Iterable[int] | None = None,
                 site_ids: Iterable[int] | None = None,
                 instruments: Sequence[str] = tuple(ALLIANCE.values())) -> list[ScorePoint]:
    """Valid total scores of completed administrations (void ones left out), in session
    order per client."""
    query = (
        sa.select(Client.id, Client.code, ClinicalSession.id, Episode.id, ClinicalSession.number,
                  ClinicalSession.starts_at, ClinicalSession.interpreting,
                  ClinicalSession.interpreter_id, InstrumentVersion.instrument_id,
                  ScoreRow.value)
        .join(Administration, Administration.clinical_session_id == ClinicalSession.id)
        .join(Episode, Episode.id == ClinicalSession.episode_id)
        .join(Client, Client.id == Episode.client_id)
        .join(InstrumentVersion, InstrumentVersion.id == Administration.instrument_version_id)
        .join(ScoreRow, sa.and_(ScoreRow.administration_id == Administration.id,
                                ScoreRow.name == "total", ScoreRow.valid))
        .where(Administration.completed_at.is_not(None), Administration.voided_at.is_(None),
               InstrumentVersion.instrument_id.in_(instruments))
        .order_by(Client.id, ClinicalSession.starts_at, Administration.id)
    )
    if client_ids is not None:
        query = query.where(Client.id.in_(list(client_ids)))
    if site_ids is not None:
        query = query.where(Client.site_id.in_(list(site_ids)))
    return [ScorePoint(*row) for row in db.session.execute(query)]


def estimated_threshold(site_ids: Iterable[int], instrument_id: str = ALLIANCE["client"]) -> float:
    """The reliable change index (analysis/ruptures.py) from the SD of the clients' first
    scores and Cronbach's alpha of their answers (analysis/reliability.py)."""
    import pandas as pd

    from interpreter_support.analysis.reliability import cronbach
    from interpreter_support.analysis.ruptures import baseline_sd, rci_threshold

    first = (
        sa.select(ScoreRow.value)
        .join(Administration, Administration.id == ScoreRow.administration_id)
        .join(ClinicalSession, ClinicalSession.id == Administration.clinical_session_id)
        .join(Client, Client.id == Administration.client_id)
        .join(InstrumentVersion, InstrumentVersion.id == Administration.instrument_version_id)
        .where(ScoreRow.name == "total", ScoreRow.valid, ClinicalSession.number == 1,
               Administration.voided_at.is_(None),
               InstrumentVersion.instrument_id == instrument_id,
               Client.site_id.in_(list(site_ids)))
    )
    baseline = list(db.session.scalars(first))
    answers = _keyed_answers(site_ids, instrument_id)
    if len(baseline) < MIN_FOR_ESTIMATE or answers is None:
        return FALLBACK_THRESHOLD
    alpha = cronbach(answers, [c for c in answers.columns if c != "client_key"])["alpha"]
    sd = baseline_sd(pd.Series(baseline, dtype=float))
    if alpha is None or not 0 < alpha < 1 or not sd > 0:
        return FALLBACK_THRESHOLD
    return rci_threshold(sd, alpha)


def _keyed_answers(site_ids: Iterable[int], instrument_id: str):
    """One row per administration of the instrument at these sites: the client and the
    keyed value of each item in the total (as scoring counts it); None if too few."""
    import pandas as pd

    version = version_by_instrument(instrument_id)
    if version is None:
        return None
    defn = definition_of(version)
    totals = defn.scoring.total_subscales
    in_total = {item.link_id: item for item in defn.items if item.type is ItemType.CHOICE
                and item.scored and item.enable_when is None
                and (totals is None or item.subscale in totals)}
    rows = db.session.execute(
        sa.select(Answer.administration_id, Administration.client_id, Answer.link_id,
                  Answer.value_number)
        .join(Administration, Administration.id == Answer.administration_id)
        .join(Client, Client.id == Administration.client_id)
        .join(InstrumentVersion, InstrumentVersion.id == Administration.instrument_version_id)
        .where(InstrumentVersion.instrument_id == instrument_id,
               Answer.link_id.in_(list(in_total)), Answer.value_number.is_not(None),
               Administration.completed_at.is_not(None), Administration.voided_at.is_(None),
               Client.site_id.in_(list(site_ids)))
        .limit(200_000)
    ).all()
    if len(rows) < MIN_FOR_ESTIMATE:
        return None
    answers = pd.DataFrame(
        [(administration, client, link_id, keyed_value(defn, in_total[link_id], value))
         for administration, client, link_id, value in rows],
        columns=["administration", "client_key", "item", "value"])
    wide = answers.pivot(index=["administration", "client_key"], columns="item",
                         values="value").dropna().reset_index(level="client_key")
    return wide if len(wide) >= MIN_FOR_ESTIMATE else None


@dataclass(frozen=True)
class Alert:
    client_id: int
    client_code: str
    session_id: int
    kind: str  # "drop" or "low"
    score: float
    previous: float | None
    context: tuple[str, ...]  # codes: interpreter_changed, first_<modality>, ...


def alerts(site_ids: Iterable[int], *, threshold: float, cutoff: float) -> list[Alert]:
    """One alert per client whose latest client-rated alliance calls for attention."""
    by_client: dict[int, list[ScorePoint]] = {}
    for point in score_points(site_ids=site_ids, instruments=[ALLIANCE["client"]]):
        by_client.setdefault(point.client_id, []).append(point)
    found = []
    for points in by_client.values():
        latest = points[-1]
        previous = points[-2] if len(points) > 1 else None
        if previous is not None and previous.score - latest.score > threshold:
            kind = "drop"
        elif latest.score < cutoff:
            kind = "low"
        else:
            continue
        found.append(Alert(latest.client_id, latest.client_code, latest.session_id, kind,
                           latest.score, previous.score if previous else None,
                           session_context(points)))
    return sorted(found, key=lambda alert: (alert.kind != "drop", alert.score))


def session_context(points: Sequence[ScorePoint]) -> tuple[str, ...]:
    """What was new about the latest session's interpreting, as short codes."""
    latest, earlier = points[-1], [p for p in points[:-1] if p.episode_id == points[-1].episode_id]
    codes = []
    previous = earlier[-1] if earlier else None
    if previous and latest.interpreter_id and previous.interpreter_id and \
            latest.interpreter_id != previous.interpreter_id:
        codes.append("interpreter_changed")
    if latest.interpreting != "none" and all(p.interpreting != latest.interpreting
                                             for p in earlier):
        codes.append("first_" + latest.interpreting)
    if previous and latest.interpreting == "none" and previous.interpreting != "none":
        codes.append("no_interpreter_now")
    return tuple(codes)
