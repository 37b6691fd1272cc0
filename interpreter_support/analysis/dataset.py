"""The tidy evaluator dataset: one row per questionnaire administration.

This module is the contract between the extraction (which reads the database and re-keys
client codes) and every analysis and export. `COLUMNS` drives validation and the codebook,
so the two can never disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .synthetic import make_synthetic_dataset

__all__ = [
    "COLUMNS",
    "Column",
    "DatasetError",
    "codebook",
    "make_synthetic_dataset",
    "safe_column_name",
    "scored_column_name",
    "scored_items",
    "validate_dataset",
]

SCORE_PREFIX = "score_"
ITEM_PREFIX = "item_"
SCORED_SUFFIX = "_scored"  # a reverse-keyed item's scored value, beside the answer as given
# Stata allows 32 characters; R and pandas take these names unchanged.
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")
# A cell starting like a formula would run in a spreadsheet opening the CSV export.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Column:
    """One documented column: `values` holds (code, label) pairs for coded columns."""

    name: str
    kind: str  # "string" | "int" | "float" | "date" | "bool"
    label: str
    values: tuple[tuple[str, str], ...] = ()
    missing_allowed: bool = False  # bool columns: empty when not recorded (never "No")


INTERPRETING = (
    ("none", "No interpreter"),
    ("in_person", "Interpreter in person"),
    ("telephone", "Interpreter by telephone"),
    ("video", "Interpreter by video"),
)
INTERPRETER_KINDS = (
    ("", "No interpreter or kind not recorded"),
    ("certified_professional", "Certified professional interpreter"),
    ("professional", "Professional interpreter"),
    ("bilingual_staff", "Bilingual staff member"),
    ("family_friend", "Family member or friend"),
)
ROLES = (("client", "Client"), ("clinician", "Clinician"), ("interpreter", "Interpreter"))
TRANSLATION_STATUSES = (
    ("source", "Source wording"),
    ("machine_draft", "Machine draft"),
    ("forward_translation", "Forward translation"),
    ("reconciled", "Reconciled translation"),
    ("back_translated", "Back-translated"),
    ("reviewed", "Reviewed against back-translation"),
    ("approved", "Approved translation"),
)
MODES = (
    ("self", "Read on screen by the respondent"),
    ("interpreter_aloud", "Read aloud by the interpreter"),
    ("clinician_aloud", "Read aloud by the clinician"),
)
CHANNELS = (
    ("kiosk", "Clinic tablet"),
    ("link", "Link on own device"),
    ("staff", "Entered by staff"),
)
OUTCOMES = (("ongoing", "Ongoing"), ("completed", "Completed"), ("dropout", "Dropped out"))

COLUMNS: tuple[Column, ...] = (
    Column("client_key", "string", "Client (re-keyed pseudonym)"),
    Column("site_key", "string", "Site"),
    Column("episode_key", "string", "Episode of care"),
    Column("session_number", "int", "Session number within the episode (1-based)"),
    Column("session_date", "date", "Session date (ISO 8601)"),
    Column("language", "string", "Client language (BCP 47)"),
    Column("language_group", "string", "Language group"),
    Column("clinician_key", "string", "Clinician"),
    Column("interpreting", "string", "Interpreting in this session", INTERPRETING),
    Column("interpreter_key", "string", "Interpreter (empty when none)"),
    Column("interpreter_kind", "string", "Kind of interpreter", INTERPRETER_KINDS),
    Column(
        "interpreter_changed",
        "bool",
        "Interpreted by another interpreter than the previous interpreted session",
    ),
    Column("briefing", "bool", "Interpreter briefed before the session (empty: not recorded)",
           missing_allowed=True),
    Column("debrief", "bool", "Interpreter debriefed after the session (empty: not recorded)",
           missing_allowed=True),
    Column("respondent_role", "string", "Who answered", ROLES),
    Column("instrument_id", "string", "Instrument"),
    Column("instrument_version", "string", "Instrument version"),
    Column("administration_language", "string", "Language of the wording shown (BCP 47)"),
    Column("translation_status", "string", "Status of that wording", TRANSLATION_STATUSES),
    Column("mode", "string", "How the items were administered", MODES),
    Column("channel", "string", "Channel of the answer", CHANNELS),
    Column("score_total", "float", "Total score (empty when not valid)"),
    Column("age_band", "string", "Age band (empty when not recorded)"),
    Column("gender", "string", "Gender (empty when not recorded)"),
    Column("episode_outcome", "string", "Outcome of the episode", OUTCOMES),
    Column("episode_sessions", "int", "Sessions attended in the episode"),
)
# Documented but not required: the extraction adds them, synthetic data may not.
OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("days_since_start", "int", "Days from the start of the episode to this session"),
)
_BY_NAME = {column.name: column for column in COLUMNS + OPTIONAL_COLUMNS}
_LANGUAGE_COLUMNS = ("language", "administration_language")


class DatasetError(ValueError):
    """The frame does not follow the contract; `problems` lists every breach found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def safe_column_name(link_id: str, prefix: str = ITEM_PREFIX) -> str:
    """Turn a questionnaire link id into a column name valid in Stata, R and pandas."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", link_id).strip("_") or "x"
    return (prefix + cleaned)[:32]


def scored_column_name(item_column: str) -> str:
    """The name of an item column's scored (reverse-keyed) twin, within Stata's 32."""
    return item_column[: 32 - len(SCORED_SUFFIX)] + SCORED_SUFFIX


def scored_items(columns: list[str]) -> list[str]:
    """Each item column as it counts in a score: the scored twin where there is one."""
    present = set(columns)
    return [scored if (scored := scored_column_name(name)) in present else name
            for name in columns
            if name.startswith(ITEM_PREFIX) and not name.endswith(SCORED_SUFFIX)]


def column_spec(name: str) -> Column | None:
    """The documented column for `name`, including the score_* and item_* families."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if name.startswith(SCORE_PREFIX):
        return Column(name, "float", f"Subscale score {name.removeprefix(SCORE_PREFIX)}")
    if name.startswith(ITEM_PREFIX) and name.endswith(SCORED_SUFFIX):
        item = name.removeprefix(ITEM_PREFIX).removesuffix(SCORED_SUFFIX)
        return Column(name, "float", f"Item {item}, scored value (reverse-keyed)")
    if name.startswith(ITEM_PREFIX):
        return Column(name, "float", f"Item {name.removeprefix(ITEM_PREFIX)}, answer as given")
    return None


def spec_of(name: str) -> Column:
    """The documented column for `name`; DatasetError when there is none."""
    column = column_spec(name)
    if column is None:
        raise DatasetError([f"undocumented column {name}"])
    return column


def score_columns(df: pd.DataFrame) -> list[str]:
    return [name for name in df.columns if name.startswith(SCORE_PREFIX)]


def item_columns(df: pd.DataFrame) -> list[str]:
    return [name for name in df.columns if name.startswith(ITEM_PREFIX)]


def validate_dataset(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with the contract's dtypes, or raise DatasetError listing all breaches."""
    problems = [f"missing column {c.name}" for c in COLUMNS if c.name not in df.columns]
    problems += [f"undocumented column {name}" for name in df.columns if not column_spec(name)]
    problems += [f"invalid column name {name}" for name in df.columns if not _NAME_RE.match(name)]
    if problems:
        raise DatasetError(problems)
    specs = {name: spec for name in df.columns if (spec := column_spec(name))}
    out = pd.DataFrame({name: _coerce(df[name], spec, problems) for name, spec in specs.items()})
    if not problems:
        problems += _check_rows(out)
    if problems:
        raise DatasetError(problems)
    return out


def _coerce(series: pd.Series, column: Column, problems: list[str]) -> pd.Series:
    if column.kind == "string":
        return _coerce_string(series, column, problems)
    if column.kind == "bool" and series.dtype == bool:
        return series
    if column.kind == "bool" and column.missing_allowed:
        return series.astype("boolean")
    converters = {
        "int": lambda s: pd.to_numeric(s, errors="coerce"),
        "float": lambda s: pd.to_numeric(s, errors="coerce").astype(float),
        "date": lambda s: pd.to_datetime(s, errors="coerce").dt.normalize(),
        "bool": lambda s: s.map({True: True, False: False}),  # 1 and 0 hash alike
    }
    converted = converters[column.kind](series)
    if column.kind != "float" and converted.isna().any():
        problems.append(f"{column.name}: {int(converted.isna().sum())} empty or invalid values")
        return converted
    return converted.astype({"int": "int64", "bool": bool}.get(column.kind, converted.dtype))


def _coerce_string(series: pd.Series, column: Column, problems: list[str]) -> pd.Series:
    """Empty for missing, text for anything else; checks run on the distinct values only."""
    values = series.unique()
    if not all(isinstance(value, str) for value in values):
        series = series.fillna("").astype(str)
        values = series.unique()
    allowed = {code for code, _ in column.values}
    bad = sorted(set(values) - allowed) if allowed else []
    bad += sorted(value for value in values if value.startswith(_FORMULA_STARTS))
    problems += [f"{column.name}: value {value!r} not allowed" for value in bad[:5]]
    return series if series.dtype == object else series.astype(object)


def _check_rows(df: pd.DataFrame) -> list[str]:
    """Cross-column rules that the extraction must hold."""
    checks = {
        "session_number must be at least 1": df["session_number"] < 1,
        "session_number beyond episode_sessions": df["session_number"] > df["episode_sessions"],
        "interpreter attributes set on a session without interpreter": (
            df["interpreting"].eq("none")
            & (df["interpreter_key"].ne("") | df["interpreter_kind"].ne(""))
        ),
        "interpreter_changed set on a session without interpreter": (
            df["interpreting"].eq("none") & df["interpreter_changed"]
        ),
    }
    problems = [f"{rule} ({int(mask.sum())} rows)" for rule, mask in checks.items() if mask.any()]
    for column in _LANGUAGE_COLUMNS:
        bad = [tag for tag in df[column].unique() if not _LANGUAGE_RE.match(tag)]
        problems += [f"{column}: {tag!r} is not a BCP 47 tag" for tag in bad[:5]]
    keys = ["episode_key", "session_number", "respondent_role", "instrument_id"]
    if df.duplicated(keys).any():
        problems.append("more than one administration per episode, session, role and instrument")
    per_episode = df.groupby("episode_key")[["episode_outcome", "episode_sessions"]].nunique()
    if (per_episode > 1).any().any():
        problems.append("episode_outcome or episode_sessions differ within an episode")
    return problems


def codebook(df: pd.DataFrame) -> list[dict[str, object]]:
    """Variable, label, type and allowed values for every column of `df`, in order."""
    entries = []
    for name in df.columns:
        column = spec_of(name)
        values = [{"code": code, "label": label} for code, label in column.values]
        if column.kind == "bool":
            values = [{"code": "0", "label": "No"}, {"code": "1", "label": "Yes"}]
        entries.append(
            {"variable": name, "label": column.label, "type": column.kind, "values": values}
        )
    return entries
