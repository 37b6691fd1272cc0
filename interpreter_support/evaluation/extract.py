"""Read the tidy, de-identified dataset out of the database.

One row per completed administration, every session and interpreting attribute on the
row. Every code that could identify someone (client, episode, clinician, interpreter,
site) is replaced by a keyed hash with a salt that is new for each export or visit, so
keys cannot be linked across exports. No free text leaves this module. Item columns hold
the answer as given (the option's value); a reverse-keyed item also has its scored value in
`<item>_scored`, which is what the reliability uses. An unrecorded briefing or debrief
stays missing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session

from interpreter_support.analysis.dataset import safe_column_name, scored_column_name
from interpreter_support.analysis.export_info import ExportInfo, InstrumentInfo, ItemInfo
from interpreter_support.analysis.selection import FAMILIES, FAMILY_OF
from interpreter_support.instruments.scoring import keyed_value
from interpreter_support.instruments.store import definition_of
from interpreter_support.models import (
    Administration,
    Answer,
    Client,
    ClinicalSession,
    Episode,
    InstrumentVersion,
    ScoreRow,
)
from interpreter_support.models.base import utcnow

LANGUAGE_GROUPS = {
    "ar": "Arabic", "fa": "Persian and Dari", "fa-AF": "Persian and Dari", "ps": "Pashto",
    "ur": "Urdu", "ckb": "Kurdish", "uk": "Ukrainian and Russian",
    "ru": "Ukrainian and Russian", "so": "Somali", "ti": "Tigrinya", "zh-Hans": "Chinese",
    "es": "Spanish", "fr": "French", "en": "English",
}
# Parallel forms of one construct, one per perspective: in the dataset they share the
# construct's id, and the respondent role tells the forms apart.
AGE_BANDS = ((18, "under 18"), (30, "18-29"), (45, "30-44"), (65, "45-64"))
OUTCOMES = {"dropout": "dropout", None: "ongoing"}  # any other reason: completed


def new_salt() -> bytes:
    return secrets.token_bytes(32)


class Rekey:
    """Keyed pseudonyms: the same record gets the same key within one salt only."""

    def __init__(self, salt: bytes):
        self.salt = salt

    def __call__(self, kind: str, value: object) -> str:
        if value is None or value != value:  # None or NaN: no such record
            return ""
        digest = hmac.new(self.salt, f"{kind}:{int(value)}".encode(),
                          hashlib.sha256).hexdigest()
        return kind[0].upper() + digest[:10]

    def column(self, kind: str, ids: pd.Series) -> pd.Series:
        """Keys for a column of ids, hashing each distinct id once."""
        keys = {value: self(kind, value) for value in ids.unique()}
        return ids.map(keys).fillna("")


def load_dataset(session: Session, site_ids: Iterable[int], salt: bytes,
                 instrument_id: str | None = None, clinician_ids: Iterable[int] = (),
                 scores: Iterable[str] | None = None, items: str | None = "all",
                 roles: Iterable[str] | None = None) -> pd.DataFrame:
    """The dataset of these sites (and, if given, these clinicians' sessions).

    `scores` limits the score columns read (e.g. only the one a page shows). `items`:
    "all" item answers, only each client's "first" administration of `roles` (all that
    the reliability uses, and a tenth of the data), or None."""
    every = _chosen(list(site_ids), instrument_id, list(clinician_ids))
    ranked = pd.DataFrame(_core(session, _row_query(every)), columns=[*COLUMNS, "position"])
    frame = ranked[ranked["position"] == 1].drop(columns="position")
    if frame.empty:
        tidy = _tidy(frame.assign(episode_sessions=0), Rekey(salt), pd.DataFrame(),
                     pd.DataFrame())
    else:
        frame["episode_sessions"] = np.maximum(  # sessions attended, answered or not
            frame["episode_id"].map(_sessions_attended(session, every)).fillna(0).to_numpy(),
            frame.groupby("episode_id")["session_number"].transform("max").to_numpy())
        # Scores of every chosen administration; the duplicates drop out in _tidy's join.
        score_frame = _scores(session, every, scores)
        if items and instrument_id:
            chosen = _counted_once(every)
            item_frame = _items(session, frame, _first(chosen, roles) if items == "first"
                                else _of_roles(chosen, roles))
        else:
            item_frame = pd.DataFrame()
        tidy = _tidy(frame, Rekey(salt), score_frame, item_frame)
    tidy.attrs[DUPLICATES_LEFT_OUT] = len(ranked) - len(frame)
    return tidy


DUPLICATES_LEFT_OUT = "duplicates_left_out"


COLUMNS = [
    "administration_id", "client_id", "site_id", "episode_id", "session_id",
    "session_number", "starts_at", "client_language", "year_of_birth", "gender",
    "clinician_id", "interpreting", "interpreter_id", "interpreter_kind", "briefing",
    "debrief", "respondent_role", "instrument_id", "instrument_version", "language",
    "translation_status", "mode", "channel", "end_reason", "version_id", "started_on"]


def _scoped(query, site_ids: list[int], instrument_id: str | None, clinician_ids: list[int]):
    """The query limited to these sites' sessions, the instrument's family and clinicians;
    void administrations never count."""
    query = (
        query.join(ClinicalSession, ClinicalSession.id == Administration.clinical_session_id)
        .join(Client, Client.id == Administration.client_id)
        .join(InstrumentVersion, InstrumentVersion.id == Administration.instrument_version_id)
        .where(Administration.voided_at.is_(None), Client.site_id.in_(site_ids))
    )
    if clinician_ids:
        query = query.where(ClinicalSession.clinician_id.in_(clinician_ids))
    if instrument_id:
        forms = FAMILIES.get(instrument_id, (instrument_id,))
        query = query.where(InstrumentVersion.instrument_id.in_(forms))
    return query


def _chosen(site_ids: list[int], instrument_id: str | None, clinician_ids: list[int]):
    """The completed administrations asked for, as a query of their ids."""
    return _scoped(sa.select(Administration.id).where(Administration.completed_at.is_not(None)),
                   site_ids, instrument_id, clinician_ids)


def declined_by_interpreting(session: Session, site_ids: Iterable[int],
                             instrument_id: str | None = None,
                             clinician_ids: Iterable[int] = ()) -> dict:
    """Questionnaires the client declined, by how their session was interpreted, as a
    report figure (each cell states its clients, so small cells are suppressed)."""
    query = _scoped(
        sa.select(ClinicalSession.interpreting,
                  sa.func.count(sa.distinct(Administration.client_id)),
                  sa.func.count(Administration.id))
        .where(Administration.declined_at.is_not(None)),
        list(site_ids), instrument_id, list(clinician_ids),
    ).group_by(ClinicalSession.interpreting).order_by(ClinicalSession.interpreting)
    return {"by_cohort": [{"cohort": code, "n_clients": clients, "n_declined": declined}
                          for code, clients, declined in session.execute(query)]}


# The duplicate rule: of several completed administrations of one questionnaire to one
# respondent role in one session (starting it twice is allowed), the first completed
# counts; the others are left out (and counted, for the notes).
_POSITION = sa.func.row_number().over(
    partition_by=(Administration.clinical_session_id, Administration.respondent_role,
                  InstrumentVersion.instrument_id),
    order_by=(Administration.completed_at, Administration.id),
)


def _counted_once(chosen):
    """The chosen administrations that count, by the duplicate rule."""
    ranked = chosen.add_columns(_POSITION.label("position")).subquery()
    return chosen.where(Administration.id.in_(
        sa.select(ranked.c.id).where(ranked.c.position == 1)))


def _row_query(chosen):
    """The rows of the chosen administrations, each with its place by the duplicate rule."""
    return (
        sa.select(Administration.id, Client.id, Client.site_id, Episode.id, ClinicalSession.id,
                  ClinicalSession.number, ClinicalSession.starts_at,
                  ClinicalSession.client_language, Client.year_of_birth, Client.gender,
                  ClinicalSession.clinician_id, ClinicalSession.interpreting,
                  ClinicalSession.interpreter_id, ClinicalSession.interpreter_kind,
                  ClinicalSession.briefing, ClinicalSession.debrief,
                  Administration.respondent_role, InstrumentVersion.instrument_id,
                  InstrumentVersion.version, Administration.language,
                  Administration.translation_status, Administration.mode,
                  Administration.channel, Episode.end_reason, InstrumentVersion.id,
                  Episode.started_on, _POSITION)
        .join(ClinicalSession, ClinicalSession.id == Administration.clinical_session_id)
        .join(Episode, Episode.id == ClinicalSession.episode_id)
        .join(Client, Client.id == Episode.client_id)
        .join(InstrumentVersion, InstrumentVersion.id == Administration.instrument_version_id)
        .where(Administration.id.in_(chosen))
    )


def _core(session: Session, query) -> list:
    """Plain rows straight from the driver's cursor: hundreds of thousands of rows pass
    through no per-row SQLAlchemy processing (dates come back as the driver gives them
    and are converted once, by column, in _tidy)."""
    connection = session.connection()
    compiled = query.compile(dialect=connection.dialect,
                             compile_kwargs={"render_postcompile": True})
    parameters = compiled.construct_params()
    if compiled.positional:
        parameters = [parameters[name] for name in compiled.positiontup]
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        return cursor.fetchall()
    finally:
        cursor.close()


def _sessions_attended(session: Session, chosen) -> pd.Series:
    """By episode: the number of its last session held so far, questionnaire or not (what
    retention counts as sessions attended)."""
    episodes = sa.select(ClinicalSession.episode_id).where(ClinicalSession.id.in_(
        chosen.with_only_columns(Administration.clinical_session_id)))
    rows = session.execute(  # not _core: the time needs the column type's bind processing
        sa.select(ClinicalSession.episode_id, sa.func.max(ClinicalSession.number))
        .where(ClinicalSession.episode_id.in_(episodes), ClinicalSession.starts_at <= utcnow())
        .group_by(ClinicalSession.episode_id)).all()
    return pd.Series(dict(rows), dtype="float64")


def _scores(session: Session, chosen, names: Iterable[str] | None) -> pd.DataFrame:
    query = (sa.select(ScoreRow.administration_id, ScoreRow.name, ScoreRow.value)
             .where(ScoreRow.administration_id.in_(chosen)))
    if names is not None:
        query = query.where(ScoreRow.name.in_(list(names)))
    scores = pd.DataFrame(_core(session, query), columns=["administration_id", "name", "value"])
    wide = scores.pivot(index="administration_id", columns="name", values="value")
    return wide.rename(columns=lambda name: safe_column_name(name, "score_"))


def _of_roles(chosen, roles: Iterable[str] | None):
    if roles is None:
        return chosen
    return chosen.where(Administration.respondent_role.in_(list(roles)))


def _first(chosen, roles: Iterable[str] | None):
    """Each client's earliest administration among the chosen ones (of these roles)."""
    ranked = (
        _of_roles(chosen, roles).add_columns(sa.func.row_number().over(
            partition_by=Administration.client_id,
            order_by=(ClinicalSession.starts_at, ClinicalSession.number, Administration.id),
        ).label("position")).subquery())
    return sa.select(ranked.c.id).where(ranked.c.position == 1)


def _items(session: Session, frame: pd.DataFrame, wanted) -> pd.DataFrame:
    """Item answers of the `wanted` administrations, of one instrument (or family of
    parallel forms, whose rows are told apart by role): each answer as given, and for a
    reverse-keyed item also its scored value (reversed as in scoring)."""
    query = (sa.select(Answer.administration_id, Answer.link_id, Answer.value_number)
             .where(Answer.administration_id.in_(wanted), Answer.value_number.is_not(None)))
    answers = pd.DataFrame(_core(session, query),
                           columns=["administration_id", "link_id", "value"])
    answers["value"] = answers["value"].astype(float)
    version_of = answers["administration_id"].map(
        frame.set_index("administration_id")["version_id"])
    keyed = pd.Series(np.nan, index=answers.index)
    reversed_items: set[str] = set()
    for version_id in frame["version_id"].unique():
        defn = definition_of(session.get(InstrumentVersion, int(version_id)))
        counts = {(item.link_id, option.value): keyed_value(defn, item, option.value)
                  for item in defn.items if item.scale
                  for option in defn.scale_of(item).options}
        reversed_items |= {item.link_id for item in defn.items if item.scale and item.reverse}
        rows = answers.loc[version_of == version_id, ["link_id", "value"]]
        keyed[rows.index] = [counts.get((link_id, int(value)))
                             for link_id, value in rows.itertuples(index=False)]
    given = answers.pivot(index="administration_id", columns="link_id", values="value")
    answers["value"] = keyed
    scored = answers[answers["link_id"].isin(reversed_items)].pivot(
        index="administration_id", columns="link_id", values="value")
    given = given.rename(columns=safe_column_name).astype(float)
    scored = scored.rename(columns=lambda link_id: scored_column_name(safe_column_name(link_id)))
    return given.join(scored.astype(float)) if not scored.empty else given


def _tidy(frame: pd.DataFrame, rekey: Rekey, scores: pd.DataFrame,
          items: pd.DataFrame) -> pd.DataFrame:
    frame = frame.sort_values(["client_id", "starts_at", "administration_id"])
    session_date = pd.to_datetime(frame["starts_at"], utc=True, format="ISO8601") \
        .dt.tz_localize(None)
    tidy = pd.DataFrame({
        "client_key": rekey.column("client", frame["client_id"]),
        "site_key": rekey.column("site", frame["site_id"]),
        "episode_key": rekey.column("episode", frame["episode_id"]),
        "session_number": frame["session_number"].astype("int64"),
        "session_date": session_date.dt.normalize(),
        "days_since_start": (session_date.dt.normalize()
                             - pd.to_datetime(frame["started_on"])).dt.days.astype("int64"),
        "language": frame["client_language"].str.replace("_", "-"),
        "language_group": frame["client_language"].str.replace("_", "-").map(
            LANGUAGE_GROUPS).fillna("Other"),
        "clinician_key": rekey.column("clinician", frame["clinician_id"]),
        "interpreting": frame["interpreting"],
        "interpreter_key": rekey.column("interpreter", frame["interpreter_id"]),
        "interpreter_kind": frame["interpreter_kind"].fillna(""),
        "interpreter_changed": _interpreter_changed(frame),
        "briefing": frame["briefing"].astype("boolean"),  # missing stays missing
        "debrief": frame["debrief"].astype("boolean"),
        "respondent_role": frame["respondent_role"],
        "instrument_id": frame["instrument_id"].map(lambda i: FAMILY_OF.get(i, i)),
        "instrument_version": frame["instrument_version"],
        "administration_language": frame["language"],
        "translation_status": frame["translation_status"],
        "mode": frame["mode"],
        "channel": frame["channel"],
        "age_band": _age_bands(frame["year_of_birth"], session_date),
        "gender": frame["gender"].fillna(""),
        "episode_outcome": frame["end_reason"].map(lambda r: OUTCOMES.get(r, "completed")),
        "episode_sessions": frame["episode_sessions"].astype("int64"),
    })
    tidy.index = frame["administration_id"].to_numpy()
    extra = [part for part in (scores, items) if not part.empty]
    if extra:
        tidy = tidy.join(pd.concat(extra, axis=1))
    if "score_total" not in tidy:
        tidy["score_total"] = np.nan
    return tidy.reset_index(drop=True)


def _interpreter_changed(frame: pd.DataFrame) -> pd.Series:
    """Interpreted by someone else than the previous interpreted session of the episode."""
    sessions = (frame[["episode_id", "session_number", "interpreter_id"]]
                .drop_duplicates(["episode_id", "session_number"])
                .sort_values(["episode_id", "session_number"]))
    known = sessions.dropna(subset=["interpreter_id"]).copy()
    known["previous"] = known.groupby("episode_id")["interpreter_id"].shift()
    known["changed"] = known["previous"].notna() & (known["previous"] != known["interpreter_id"])
    lookup = known.set_index(["episode_id", "session_number"])["changed"]
    keys = pd.MultiIndex.from_frame(frame[["episode_id", "session_number"]])
    return pd.Series(lookup.astype(bool).reindex(keys, fill_value=False).to_numpy(),
                     index=frame.index)


def _age_bands(year_of_birth: pd.Series, on: pd.Series) -> pd.Series:
    """The age band on the session's date by year of birth; "" where it is not known."""
    age = on.dt.year - pd.to_numeric(year_of_birth)
    limits = [-np.inf, *(limit for limit, _ in AGE_BANDS), np.inf]
    labels = [*(label for _, label in AGE_BANDS), "65+"]
    bands = pd.cut(age, limits, right=False, labels=labels)
    return bands.astype(object).where(age.notna(), "").to_numpy()




def describe_items(session: Session, rows: pd.DataFrame, instrument_id: str,
                   notes: Iterable[str] = ()) -> ExportInfo:
    """Wording, answers and versions of the instrument (family) behind these rows, in
    each version's source language; the newest version's wording where they differ."""
    forms = FAMILIES.get(instrument_id, (instrument_id,))
    exported = set(rows["instrument_version"].unique()) if not rows.empty else set()
    versions = session.scalars(
        sa.select(InstrumentVersion).where(InstrumentVersion.instrument_id.in_(forms))
        .order_by(InstrumentVersion.id.desc())).all()
    versions = [version for version in versions if version.version in exported]
    options: dict[str, tuple[tuple[int, str], ...]] = {}
    reverse: dict[str, bool] = {}
    wordings: dict[str, list[tuple[str, str]]] = {}
    for version in versions:
        defn = definition_of(version)
        source = defn.source_language
        for item in defn.items:
            if not item.scale:
                continue
            column = safe_column_name(item.link_id)
            options.setdefault(column, tuple((option.value, option.label.get(source) or "")
                                             for option in defn.scale_of(item).options))
            reverse[column] = reverse.get(column, False) or item.reverse
            wordings.setdefault(column, []).append(
                (f"{version.instrument_id} {version.version}", item.text.get(source) or ""))
    described = tuple(ItemInfo(column, options[column], reverse[column],
                               tuple(wordings[column])) for column in options)
    instruments = tuple(InstrumentInfo(v.instrument_id, v.version, v.content_hash,
                                       v.definition.get("source_language", ""))
                        for v in versions)
    return ExportInfo(described, instruments, tuple(notes))
