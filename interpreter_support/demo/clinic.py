"""A synthetic, clearly labelled demo clinic, deterministic for a given seed.

Three cohorts of clients: language-concordant care, an interpreter in person, and a remote
(telephone or video) interpreter; some clients drop out, some interpreters change.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from interpreter_support.admin.operations import create_site, save_interpreter, save_user
from interpreter_support.demo.answers import DemoClient, answer_demo_sessions
from interpreter_support.extensions import db
from interpreter_support.instruments.sync import sync_shipped
from interpreter_support.models import Client, ClinicalSession, Episode, Interpreter, Site, User
from interpreter_support.security import hash_password
from interpreter_support.vocabulary import InterpreterKind, codes

DEMO_PASSWORD = "demo-password"  # noqa: S105 - demo mode only, printed on purpose
DEMO_START = date(2025, 1, 6)
SITES = (("DEMO-N", "Demo clinic North"), ("DEMO-S", "Demo clinic South"),
         ("DEMO-E", "Demo clinic East"))
CLIENT_LANGUAGES = ("ar", "fa", "fa_AF", "ps", "ti", "so", "uk", "ru", "ckb", "ur", "es", "fr")
CONCORDANT_LANGUAGES = ("en", "es", "fr", "ar", "ru")
INTERPRETER_KINDS = codes(InterpreterKind)


@dataclass(frozen=True)
class DemoSizes:
    clients: int = 300
    clinicians: int = 8
    interpreters: int = 12
    mean_sessions: int = 13


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str


class DemoDataExists(RuntimeError):
    pass


def seed_demo(seed: int = 1, sizes: DemoSizes = DemoSizes(),
              progress: Callable[[Iterator[int]], Iterator[int]] = iter,
              answers: bool = True) -> list[DemoAccount]:
    """Write the demo clinic in one transaction; returns the sign-ins to print."""
    if db.session.query(Site).filter(Site.is_demo).first() is not None:
        raise DemoDataExists("demo data is already in this database")
    sync_shipped()
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    sites = [create_site(code, name, is_demo=True) for code, name in SITES]
    demo_hash = hash_password(DEMO_PASSWORD)  # one hash: every demo account shares it
    accounts = _staff(sites, sizes, demo_hash)
    clinicians = [u for u in accounts if u.role == "clinician"]
    interpreters = _interpreters(rng, sites, sizes.interpreters, demo_hash)
    demo_clients = [
        _client_with_sessions(rng, index, sites, clinicians, interpreters, sizes.mean_sessions)
        for index in progress(iter(range(sizes.clients)))
    ]
    db.session.flush()
    if answers:
        answer_demo_sessions(rng, demo_clients)
    return [DemoAccount(user.email, user.role) for user in accounts if user.role != "clinician"
            ] + [DemoAccount(clinicians[0].email, "clinician"),
                 DemoAccount(interpreters[0].user.email, "interpreter")]


def _staff(sites: list[Site], sizes: DemoSizes, demo_hash: str) -> list[User]:
    users = [
        save_user(User(), email="admin@demo.example", display_name="Demo admin", role="admin",
                  sites=sites, password=None, password_hash=demo_hash),
        save_user(User(), email="evaluator@demo.example", display_name="Demo evaluator",
                  role="evaluator", sites=sites, password=None, password_hash=demo_hash),
    ]
    for number in range(1, sizes.clinicians + 1):
        users.append(save_user(
            User(), email=f"clinician{number}@demo.example",
            display_name=f"Demo clinician {number}", role="clinician",
            sites=[sites[(number - 1) % len(sites)]], password=None, password_hash=demo_hash,
        ))
    return users


def _interpreters(rng: random.Random, sites: list[Site], count: int,
                  demo_hash: str) -> list[Interpreter]:
    interpreters = []
    for number in range(1, count + 1):
        site = sites[(number - 1) % len(sites)]
        languages = {"en", *rng.sample(CLIENT_LANGUAGES, 2)}
        interpreter = save_interpreter(
            Interpreter(), site_id=site.id, code=f"INT-{number:02d}",
            kind=INTERPRETER_KINDS[number % len(INTERPRETER_KINDS)], languages=languages,
            agency="Demo language services" if number % 3 else None,
        )
        interpreter.user = save_user(
            User(), email=f"interpreter{number}@demo.example",
            display_name=f"Demo interpreter {number}", role="interpreter", sites=[site],
            password=None, password_hash=demo_hash,
        )
        interpreters.append(interpreter)
    return interpreters


def _client_with_sessions(rng: random.Random, index: int, sites: list[Site],
                          clinicians: list[User], interpreters: list[Interpreter],
                          mean_sessions: int) -> DemoClient:
    cohort = ("concordant", "in_person", "remote")[index % 3]
    clinician = clinicians[index % len(clinicians)]
    site = clinician.sites[0]
    pool = [i for i in interpreters if i.site_id == site.id]
    current = rng.choice(pool)
    if cohort == "concordant":
        language = rng.choice(CONCORDANT_LANGUAGES)
    else:
        language = rng.choice([lang for lang in current.languages if lang != "en"])
        pool = [i for i in pool if i.covers(language, "en")]
    client = Client(site=site, code=f"D{index + 1:04d}", preferred_language=language,
                    year_of_birth=rng.randint(1950, 2006),
                    gender=rng.choice(["female", "male", "nonbinary", None]))
    start = DEMO_START + timedelta(days=rng.randrange(0, 300))
    episode = Episode(client=client, started_on=start)
    planned = max(2, min(20, round(rng.gauss(mean_sessions, 3))))
    drops_out = rng.random() < (0.2 if cohort == "concordant" else 0.3)
    attended = rng.randint(2, max(2, planned // 2)) if drops_out else planned
    mixed = cohort != "concordant" and rng.random() < 0.15
    without_interpreter_after = rng.randint(3, 6) if mixed else attended
    for number in range(1, attended + 1):
        if cohort != "concordant" and rng.random() < 0.15:
            current = rng.choice(pool)  # a change of interpreter
        moment = datetime.combine(start + timedelta(weeks=number - 1), time(9 + number % 8),
                                  tzinfo=UTC)
        # A few interpreted clients later go on without one (a bilingual colleague takes
        # over), so within-client effects of interpreter presence can be estimated.
        session_cohort = "concordant" if number > without_interpreter_after else cohort
        episode.sessions.append(_session(rng, session_cohort, number, moment, clinician,
                                         language, current))
    if drops_out:
        episode.ended_on, episode.end_reason = start + timedelta(weeks=attended + 2), "dropout"
    elif rng.random() < 0.7:
        episode.ended_on, episode.end_reason = start + timedelta(weeks=attended), "completed"
    db.session.add(client)
    return DemoClient(client, cohort)


def _session(rng: random.Random, cohort: str, number: int, moment: datetime, clinician: User,
             language: str, interpreter: Interpreter) -> ClinicalSession:
    session = ClinicalSession(number=number, starts_at=moment, clinician=clinician,
                              client_language=language, clinician_language="en",
                              interpreting="none")
    if cohort == "concordant":
        session.clinician_language = language
        return session
    session.interpreting = (
        "in_person" if cohort == "in_person" else rng.choice(["telephone", "video"])
    )
    session.interpreter = interpreter
    session.interpreter_kind = interpreter.kind
    session.briefing = rng.random() < 0.6
    session.debrief = rng.random() < 0.5
    return session
