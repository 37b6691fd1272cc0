"""Reads never write, and a page's SQL does not grow with the data it shows (no N+1).

Each page is counted on a small and on a larger demo clinic, for its sparsest and its
fullest record; the counts must stay the same as the data grows, and small. The only
write allowed is the audit log's record of who read a clinical record. A link's first
visit claims it (the administration starts); the visits after it only read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from app_support import empty_tables, empty_tables_but_shipped, sign_in

from interpreter_support.demo.clinic import DEMO_PASSWORD, DemoSizes, seed_demo
from interpreter_support.extensions import db
from interpreter_support.instruments.store import version_by_instrument
from interpreter_support.models import (
    Administration,
    Client,
    ClinicalSession,
    Episode,
    InstrumentVersion,
    User,
)
from interpreter_support.questionnaires.links import issue_link

pytestmark = pytest.mark.db

# Budgets as measured (sign-in's user and site loads included): a new statement on one of
# these pages should be a decision, made here. The client and session pages record a read
# in the audit log: appending to its hash chain takes the chain's lock (SQLite's write
# lock, PostgreSQL's advisory lock) and reads the last event, two statements besides the
# INSERT. The client page also reads the client's links with their progress, the answers
# given outside any session, and the instrument list of its "send a link" form, one each.
BUDGETS = {"dashboard": 11, "client": 14, "session": 12, "link": 2}
WRITES = ("INSERT", "UPDATE", "DELETE")
AUDIT_WRITE = "INSERT INTO AUDIT_EVENTS"
CLAIM = {"INSERT INTO ADMINISTRATIONS", "UPDATE RESPONSE_LINKS SET"}
CLINICIAN = "clinician1@demo.example"


@contextmanager
def counting(app) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(" ".join(statement.split()[:3]).upper())

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def _demo(app, clients: int) -> None:
    with app.app_context():
        empty_tables_but_shipped()
        seed_demo(seed=3, sizes=DemoSizes(clients=clients, clinicians=2, interpreters=3,
                                          mean_sessions=6))
        db.session.commit()


def _extremes(app, email: str) -> dict[str, tuple[int, int]]:
    """(fewest, most) by what each page lists, among the records this user may open:
    a client's sessions, a session's administrations."""
    with app.app_context():
        sites = db.session.scalar(sa.select(User).where(User.email == email)).site_ids
        per_client = db.session.execute(
            sa.select(Episode.client_id, sa.func.count(ClinicalSession.id))
            .join(ClinicalSession).join(Client).where(Client.site_id.in_(sites))
            .group_by(Episode.client_id)
            .having(sa.func.count(ClinicalSession.interpreter_id) > 0)  # every eager load runs
            .order_by(sa.func.count(ClinicalSession.id), Episode.client_id)).all()
        per_session = db.session.execute(
            sa.select(Administration.clinical_session_id, sa.func.count(Administration.id))
            .join(ClinicalSession).join(Episode).join(Client).where(Client.site_id.in_(sites))
            .group_by(Administration.clinical_session_id)
            .order_by(sa.func.count(Administration.id), Administration.clinical_session_id)
        ).all()
    return {"client": (per_client[0][0], per_client[-1][0]),
            "session": (per_session[0][0], per_session[-1][0])}


def _link(app, client_id: int) -> str:
    with app.app_context():
        client = db.session.get(Client, client_id)
        token, _ = issue_link(client, version_by_instrument("alliance-client"), expiry_days=7)
        db.session.commit()
    return f"/r/{token}"


def _count(app, fetch: Callable[[], object]) -> list[str]:
    with counting(app) as statements:
        response = fetch()
    assert response.status_code == 200
    return statements


def _page_counts(app, clients: int) -> dict[str, list[list[str]]]:
    _demo(app, clients)
    extremes = _extremes(app, CLINICIAN)
    staff = app.test_client()
    assert sign_in(staff, CLINICIAN, DEMO_PASSWORD).status_code == 302
    counts: dict[str, list[list[str]]] = {"dashboard": [_count(app, lambda: staff.get("/clinic/"))]}
    counts["client"] = [_count(app, lambda c=c: staff.get(f"/clinic/clients/{c}"))
                        for c in extremes["client"]]
    counts["session"] = [_count(app, lambda s=s: staff.get(f"/clinic/sessions/{s}"))
                         for s in extremes["session"]]
    links = [_link(app, c) for c in extremes["client"]]
    for path in links:  # the first visit claims the link: it starts the administration
        first = _count(app, lambda p=path: app.test_client().get(p))
        assert {s for s in first if s.startswith(WRITES)} == CLAIM, first
    counts["link"] = [_count(app, lambda p=p: app.test_client().get(p)) for p in links]
    return counts


def test_pages_run_a_small_fixed_number_of_statements_and_never_write(app):
    small = _page_counts(app, clients=4)
    large = _page_counts(app, clients=16)
    for page, budget in BUDGETS.items():
        for statements in small[page] + large[page]:
            writes = [s for s in statements if s.startswith(WRITES) and s != AUDIT_WRITE]
            assert not writes, f"{page} wrote on a GET: {statements}"
            assert len(statements) <= budget, f"{page}: {len(statements)} statements"
        # the fullest record of a clinic four times the size costs no more statements;
        # a sparser one may cost fewer (an eager load with no keys is skipped)
        fullest_small, fullest_large = len(small[page][-1]), len(large[page][-1])
        assert fullest_small == fullest_large, f"{page}: {fullest_small} → {fullest_large}"
        assert all(len(s) <= fullest_large for s in small[page] + large[page]), page


def test_no_page_stores_shipped_instruments_on_a_fresh_database(app, client):
    """Requests only read instruments: with none stored, nothing appears by itself."""
    with app.app_context():
        empty_tables()
    client.get("/r/not-a-token")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(InstrumentVersion.id))) == 0
