"""Synthetic evaluator data in the shape of the tidy dataset (see dataset.py), for tests and
benchmarks.

Three cohorts: language-concordant clients, clients with an interpreter in person, and
clients with a remote interpreter (telephone or video). Some interpreted clients have
sessions without interpreter (a within-client contrast), interpreters change, alliance
ruptures and repairs, and clients drop out more often when the alliance is low.
Nothing here is real: the effects are chosen so that the analyses have something to find.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from interpreter_support.vocabulary import InterpreterKind, codes

PLANNED_SESSIONS = 12
SUBSCALES = ("goal", "task", "bond")
ITEMS_PER_SUBSCALE = 4
INTERPRETED_LANGUAGES = {  # language: (language group, status of the wording shown)
    "ar": ("arabic", "approved"),
    "fa-AF": ("persian", "approved"),
    "ps": ("pashto", "reviewed"),
    "ti": ("tigrinya", "back_translated"),
    "so": ("somali", "machine_draft"),
    "ckb": ("kurdish", "forward_translation"),
    "uk": ("ukrainian", "approved"),
}
KINDS = np.array(codes(InterpreterKind))
N_INTERPRETERS = 40
# Effects on the 1-5 item scale: interpreted cohorts start lower and catch up a little,
# an interpreted session and a change of interpreter each cost something within a client.
COHORT_INTERCEPT = np.array([0.0, -0.15, -0.25])
COHORT_SLOPE = np.array([0.0, 0.04, 0.02])
SESSION_EFFECT = -0.12
CHANGE_EFFECT = -0.15
Arrays = dict[str, np.ndarray]  # one array per attribute: per client, or clients x sessions


def make_synthetic_dataset(n_clients: int, seed: int = 0) -> pd.DataFrame:
    """One row per administration for `n_clients` clients with one episode each."""
    rng = np.random.default_rng(seed)
    clients = _clients(n_clients, rng)
    sessions = _sessions(clients, rng)
    frames = [_role_rows(role, clients, sessions, rng) for role in ROLE_PARAMS]
    df = pd.concat(frames, ignore_index=True)
    return df.sort_values(["client_key", "session_number", "respondent_role"], ignore_index=True)


def _clients(n: int, rng: np.random.Generator) -> Arrays:
    group = rng.choice(3, size=n, p=[0.4, 0.3, 0.3])
    languages = np.array(list(INTERPRETED_LANGUAGES))
    concordant_language = np.where(rng.random(n) < 0.8, "en", "ar")
    language = np.where(group == 0, concordant_language, rng.choice(languages, size=n))
    site = rng.integers(1, 4, size=n)
    return {
        "group": group,
        "mixed": (group > 0) & (rng.random(n) < 0.2),
        "remote": np.where(rng.random(n) < 0.5, "telephone", "video"),
        "language": language,
        "site": site,
        "clinician": np.char.add(
            np.char.add("C", site.astype(str)), rng.integers(10, 20, n).astype(str)
        ),
        "interpreter": rng.integers(0, N_INTERPRETERS, size=n),
        "age_band": rng.choice(["18-25", "26-40", "41-60", "61+", ""], size=n),
        "gender": rng.choice(
            ["female", "male", "nonbinary", ""], size=n, p=[0.5, 0.42, 0.03, 0.05]
        ),
        "start": np.datetime64("2023-01-02")
        + rng.integers(0, 900, size=n).astype("timedelta64[D]"),
        "intercept": rng.normal(3.5, 0.4, n) + COHORT_INTERCEPT[group],
        "slope": rng.normal(0.30, 0.12, n) + COHORT_SLOPE[group],
        "subscale_shift": rng.normal(0, 0.15, (n, len(SUBSCALES))),
    }


def _sessions(c: Arrays, rng: np.random.Generator) -> Arrays:
    n, s = len(c["group"]), PLANNED_SESSIONS
    interpreted = (c["group"][:, None] > 0) & ~(c["mixed"][:, None] & (rng.random((n, s)) < 0.35))
    usual = np.where(c["group"] == 1, "in_person", c["remote"])[:, None]
    switched = np.where(c["group"] == 1, "video", "in_person")[:, None]
    modality = np.where(rng.random((n, s)) < 0.1, switched, usual)
    other = rng.integers(0, N_INTERPRETERS, (n, s))
    interpreter = np.where(rng.random((n, s)) < 0.15, other, c["interpreter"][:, None])
    changed = _changes(interpreted, interpreter)
    latent = _latent(c, interpreted, changed, rng)
    return {
        "interpreting": np.where(interpreted, modality, "none"),
        "interpreter": np.where(interpreted, interpreter, -1),
        "changed": changed,
        "briefing": interpreted & (rng.random((n, s)) < 0.6),
        "debrief": interpreted & (rng.random((n, s)) < 0.4),
        "latent": latent,
        "date": c["start"][:, None]
        + (np.arange(s) * 7 + rng.integers(0, 4, (n, s))).astype("timedelta64[D]"),
        **_attendance(c, latent, rng),
    }


def _changes(interpreted: np.ndarray, interpreter: np.ndarray) -> np.ndarray:
    """True where an interpreted session has another interpreter than the last interpreted one."""
    changed = np.zeros_like(interpreted)
    last = np.full(interpreted.shape[0], -1)
    for t in range(interpreted.shape[1]):
        changed[:, t] = interpreted[:, t] & (last >= 0) & (interpreter[:, t] != last)
        last = np.where(interpreted[:, t], interpreter[:, t], last)
    return changed


def _latent(
    c: Arrays, interpreted: np.ndarray, changed: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Alliance per session: growth over log(session) plus decaying rupture shocks."""
    n, s = interpreted.shape
    shocks = np.where(rng.random((n, s)) < 0.06, -rng.normal(0.9, 0.2, (n, s)), 0.0)
    shocks[:, 0] = 0.0
    rupture = np.zeros((n, s))
    for t in range(1, s):
        rupture[:, t] = rupture[:, t - 1] * 0.4 + shocks[:, t]
    growth = c["intercept"][:, None] + c["slope"][:, None] * np.log(np.arange(1, s + 1))
    noise = rng.normal(0, 0.2, (n, s))
    return growth + SESSION_EFFECT * interpreted + CHANGE_EFFECT * changed + rupture + noise


def _attendance(c: Arrays, latent: np.ndarray, rng: np.random.Generator) -> Arrays:
    """Sessions attended and outcome: dropout is likelier after a low-alliance session."""
    n, s = latent.shape
    hazard = 1 / (1 + np.exp(3.0 + 1.5 * (latent - 3.5) - 0.3 * (c["group"][:, None] == 2)))
    drop = rng.random((n, s)) < hazard
    drop[:, -1] = False
    dropped = drop.any(axis=1)
    attended = np.where(dropped, drop.argmax(axis=1) + 1, s)
    cutoff = rng.integers(1, s, size=n)
    ongoing = (rng.random(n) < 0.15) & (cutoff < attended)
    attended = np.where(ongoing, cutoff, attended)
    outcome = np.where(ongoing, "ongoing", np.where(dropped, "dropout", "completed"))
    return {"attended": attended, "outcome": outcome}


# role: (share of attended sessions answered, weight of the client's alliance, offset, noise)
ROLE_PARAMS = {
    "client": (0.9, 1.0, 0.0, 0.0),
    "clinician": (0.5, 0.6, 1.5, 0.25),
    "interpreter": (0.4, 0.5, 1.8, 0.3),
}


def _role_rows(role: str, c: Arrays, ses: Arrays, rng: np.random.Generator) -> pd.DataFrame:
    share, weight, offset, noise = ROLE_PARAMS[role]
    n, s = ses["latent"].shape
    mask = (np.arange(1, s + 1)[None, :] <= ses["attended"][:, None]) & (rng.random((n, s)) < share)
    if role == "interpreter":
        mask &= ses["interpreting"] != "none"
    ci, si = np.nonzero(mask)
    level = weight * ses["latent"][ci, si] + offset + rng.normal(0, noise, ci.size)
    interpreted = ses["interpreting"][ci, si] != "none"
    interpreter = ses["interpreter"][ci, si]
    language = c["language"][ci]
    group, status = _wording(language, role)
    mode = _mode(interpreted, role, rng)
    frame = pd.DataFrame(
        {
            "client_key": np.char.add("K", np.char.zfill(ci.astype(str), 5)),
            "site_key": np.char.add("S", c["site"][ci].astype(str)),
            "episode_key": np.char.add("E", np.char.zfill(ci.astype(str), 5)),
            "session_number": si + 1,
            "session_date": ses["date"][ci, si],
            "language": language,
            "language_group": group,
            "clinician_key": c["clinician"][ci],
            "interpreting": ses["interpreting"][ci, si],
            "interpreter_key": np.where(
                interpreted, np.char.add("I", np.char.zfill(interpreter.astype(str), 3)), ""
            ),
            "interpreter_kind": np.where(interpreted, KINDS[interpreter % len(KINDS)], ""),
            "interpreter_changed": ses["changed"][ci, si],
            "briefing": ses["briefing"][ci, si],
            "debrief": ses["debrief"][ci, si],
            "respondent_role": role,
            "instrument_id": "alliance-12",
            "instrument_version": "1.0",
            "administration_language": np.where(role == "client", language, "en"),
            "translation_status": status,
            "mode": mode,
            "channel": _channel(mode, rng),
            "age_band": c["age_band"][ci],
            "gender": c["gender"][ci],
            "episode_outcome": ses["outcome"][ci],
            "episode_sessions": ses["attended"][ci],
        }
    )
    return pd.concat([frame, _answers(level, c["subscale_shift"][ci], rng)], axis=1)


def _wording(language: np.ndarray, role: str) -> tuple[np.ndarray, np.ndarray]:
    """Language group, and the translation status of what this respondent read."""
    groups = {"en": "english", **{k: v[0] for k, v in INTERPRETED_LANGUAGES.items()}}
    statuses = {"en": "source", **{k: v[1] for k, v in INTERPRETED_LANGUAGES.items()}}
    group = np.vectorize(groups.__getitem__, otypes=[object])(language)
    status = np.vectorize(statuses.__getitem__, otypes=[object])(language)
    if role != "client":  # clinicians and interpreters answer the source wording
        status = np.full(language.size, "source", dtype=object)
    return group, status


def _mode(interpreted: np.ndarray, role: str, rng: np.random.Generator) -> np.ndarray:
    aloud = np.where(interpreted, "interpreter_aloud", "clinician_aloud")
    chance = np.where(interpreted, 0.35, 0.1) * (role == "client")
    return np.where(rng.random(interpreted.size) < chance, aloud, "self")


def _channel(mode: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    draw = rng.random(mode.size)
    on_screen = np.where(draw < 0.6, "kiosk", "link")
    return np.where(mode == "self", on_screen, np.where(draw < 0.5, "staff", "kiosk"))


def _answers(level: np.ndarray, shift: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Items on a 1-5 scale, subscale means and the total.

    2 % of administrations are not valid: the bond items are missing, so no score is given.
    """
    columns, subscale_scores = {}, {}
    for j, subscale in enumerate(SUBSCALES):
        raw = level[:, None] + shift[:, [j]] + rng.normal(0, 0.55, (level.size, ITEMS_PER_SUBSCALE))
        items = np.clip(np.rint(raw), 1, 5)
        subscale_scores[f"score_{subscale}"] = items.mean(axis=1)
        for i in range(ITEMS_PER_SUBSCALE):
            columns[f"item_{subscale}_{i + 1}"] = items[:, i]
    total = np.mean(list(subscale_scores.values()), axis=0)
    answers = pd.DataFrame({"score_total": total, **subscale_scores, **columns})
    invalid = rng.random(level.size) < 0.02
    missing = ["score_total", *subscale_scores] + [c for c in columns if c.startswith("item_bond")]
    answers.loc[invalid, missing] = np.nan
    return answers
