"""Model invariants are held by the database itself, not only by the forms."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from interpreter_support.clinic.continuity import same_interpreter_as_previous
from interpreter_support.extensions import db
from interpreter_support.models import Client, ClinicalSession, Episode


def _flush_fails(obj) -> None:
    db.session.add(obj)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_client_code_unique_per_site_but_not_across_sites(build, app_ctx):
    site_a, site_b = build.site(), build.site()
    build.client(site_a, code="K-1")
    build.client(site_b, code="K-1")  # another clinic may use the same code
    _flush_fails(Client(site_id=site_a, code="K-1", preferred_language="fa"))


def test_year_of_birth_must_be_plausible(build, app_ctx):
    site = build.site()
    _flush_fails(Client(site_id=site, code="Y", preferred_language="fa", year_of_birth=1066))


def test_episode_has_ended_exactly_when_it_has_a_reason(build, app_ctx):
    client = build.client(build.site())
    _flush_fails(Episode(client_id=client, started_on=date(2026, 1, 1), ended_on=date(2026, 2, 1)))
    _flush_fails(Episode(client_id=client, started_on=date(2026, 1, 1), end_reason="dropout"))
    _flush_fails(Episode(client_id=client, started_on=date(2026, 2, 1),
                         ended_on=date(2026, 1, 1), end_reason="dropout"))


def _session(episode_id, clinician_id, **changes) -> ClinicalSession:
    values = dict(episode_id=episode_id, clinician_id=clinician_id, number=1,
                  starts_at=datetime(2026, 1, 5, 9, tzinfo=UTC), client_language="ar",
                  clinician_language="en", interpreting="in_person",
                  interpreter_kind="professional")
    values.update(changes)
    return ClinicalSession(**values)


@pytest.mark.parametrize("changes", [
    {"interpreter_kind": None},  # interpreted without a kind
    {"interpreting": "none"},  # a kind without interpreting
    {"interpreting": "carrier pigeon", "interpreter_kind": "professional"},
    {"interpreting": "none", "interpreter_kind": None, "briefing": True},
    {"number": 0},
    {"interpreter_kind": "cousin"},
])
def test_session_interpreting_facts_are_consistent(build, app_ctx, changes):
    site = build.site()
    episode = build.episode(build.client(site))
    clinician = build.user("clinician", site)
    _flush_fails(_session(episode, clinician, **changes))


def test_session_number_unique_in_episode(build, app_ctx):
    site = build.site()
    episode = build.episode(build.client(site))
    clinician = build.user("clinician", site)
    build.session(episode, clinician, 1)
    _flush_fails(_session(episode, clinician, number=1))


def test_datetimes_come_back_timezone_aware(build, app_ctx):
    site = build.site()
    episode = build.episode(build.client(site))
    session_id = build.session(episode, build.user("clinician", site), 3)
    db.session.expire_all()
    stored = db.session.get(ClinicalSession, session_id)
    assert stored.starts_at == datetime(2026, 1, 8, 10, tzinfo=UTC)
    assert stored.starts_at.tzinfo is not None


def test_naive_datetimes_are_refused(build, app_ctx):
    site = build.site()
    episode = build.episode(build.client(site))
    db.session.add(_session(episode, build.user("clinician", site),
                            starts_at=datetime(2026, 1, 5, 9)))
    with pytest.raises(sa.exc.StatementError, match="naive datetimes"):
        db.session.flush()


def test_same_interpreter_is_derived_from_consecutive_sessions(build, app_ctx):
    site = build.site()
    clinician = build.user("clinician", site)
    episode = build.episode(build.client(site))
    first, second = build.interpreter(site), build.interpreter(site)
    ids = [
        build.session(episode, clinician, 1, "in_person", first),
        build.session(episode, clinician, 2, "telephone", first),
        build.session(episode, clinician, 3, "video", second),
        build.session(episode, clinician, 4),
        build.session(episode, clinician, 5, "in_person", second),
        build.session(episode, clinician, 6, "in_person", None),
    ]
    sessions = db.session.get(Episode, episode).sessions
    derived = same_interpreter_as_previous(list(reversed(sessions)))
    assert [derived[i] for i in ids] == [None, True, False, None, None, None]
