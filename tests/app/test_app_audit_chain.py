"""The audit log cannot be edited: the database refuses changes, the events form a hash
chain that `audit-verify` checks, concurrent writers never fork it, and a site's admin
reads only the events of its own sites."""

from __future__ import annotations

import csv
import io
import threading
import time

import pytest
import sqlalchemy as sa
from app_support import past_the_audit_triggers, run_cli, sign_in
from flask_migrate import downgrade, upgrade

from interpreter_support import audit
from interpreter_support.extensions import db
from interpreter_support.models import AuditEvent, Site

TABLE = AuditEvent.__table__


def record_events(app, *actions: str) -> None:
    with app.app_context():
        for action in actions:
            audit.record(action)
        db.session.commit()


def event_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.seq)))


def tamper(app, statement) -> None:
    """What only someone past the app's role could do: change rows behind the triggers."""
    with app.app_context(), db.engine.begin() as connection, \
            past_the_audit_triggers(connection):
        connection.execute(statement)


@pytest.mark.parametrize("statement", [
    TABLE.update().values(action="nothing.happened"),
    TABLE.update().where(TABLE.c.action == "login").values(remote_addr=None),
    TABLE.delete(),
    TABLE.delete().where(TABLE.c.action == "login"),
], ids=["update-all", "update-some", "delete-all", "delete-some"])
def test_the_database_refuses_bulk_changes_and_deletes(app, statement):
    record_events(app, "login", "client.read")
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TABLE)) == 2


def test_postgresql_refuses_truncate(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("TRUNCATE is PostgreSQL's")
    record_events(app, "login")
    with app.app_context():
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            db.session.execute(sa.text("TRUNCATE audit_events CASCADE"))
        db.session.rollback()


def test_each_event_links_to_the_one_before(app):
    record_events(app, "login", "client.read")
    record_events(app, "client.update")
    with app.app_context():
        chain = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)))
        assert [e.seq for e in chain] == [1, 2, 3]
        assert chain[0].prev_hash == "0" * 64
        assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
        assert len({e.hash for e in chain}) == 3


def test_audit_verify_accepts_an_intact_chain(app):
    record_events(app, "login", "client.read", "client.update")
    result = run_cli(app, "audit-verify")
    assert result.exit_code == 0, result.output
    assert "intact: 3 events" in result.output


@pytest.mark.parametrize("change", ["field", "hash", "delete"])
def test_audit_verify_names_the_event_that_breaks_the_chain(app, change):
    record_events(app, "login", "client.read", "client.update", "logout")
    second = event_ids(app)[1]
    where = TABLE.c.id == second
    tamper(app, {"field": TABLE.update().where(where).values(action="nothing.happened"),
                 "hash": TABLE.update().where(where).values(hash="f" * 64),
                 "delete": TABLE.delete().where(where)}[change])

    result = run_cli(app, "audit-verify")

    assert result.exit_code != 0
    broken = event_ids(app)[1] if change == "delete" else second  # the next one, if deleted
    assert f"audit event {broken} (place" in result.output, result.output
    assert "1 events before it are intact" in result.output.replace("\n", " ")


def test_concurrent_writers_never_fork_the_chain(app):
    """Eight threads append at once; every event gets its own place, each linked to the
    one before (without the lock, two read the same last event and one commit fails)."""
    threads, per_thread = 8, 5
    start, failures = threading.Barrier(threads), []

    def write(number: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for index in range(per_thread):
                    audit.record(f"thread{number}.{index}")
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(repr(error))

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    with app.app_context():
        assert audit.verify_chain().events == threads * per_thread
    assert run_cli(app, "audit-verify").exit_code == 0


def test_the_migration_chains_events_recorded_before_it(app_ctx):
    db.session.remove()
    try:
        downgrade(revision="0005_session_version")
        with db.engine.begin() as connection:
            for action in ("login", "client.read", "client.update"):
                connection.execute(sa.text(
                    "INSERT INTO audit_events (at, action, remote_addr) "
                    "VALUES (:at, :action, '10.0.0.1')"),
                    {"at": "2026-01-05 10:00:00.123456", "action": action})
    finally:
        upgrade()
    report = audit.verify_chain()
    assert (report.events, report.problem) == (3, None)
    audit.record("logout")
    db.session.commit()
    assert audit.verify_chain().events == 4


def _audit_page(client, admin_email: str) -> str:
    assert sign_in(client, admin_email).status_code == 302
    page = client.get("/admin/audit").get_data(as_text=True)
    client.post("/logout")
    return page.split("<tbody>")[1] if "<tbody>" in page else ""


def test_a_site_admin_reads_only_its_own_sites_events(app, client, build):
    mine, theirs = build.site(), build.site()
    build.user("admin", mine, email="admin@mine.example")
    build.user("admin", mine, theirs, email="all@both.example")
    build.user("clinician", mine, email="staff@mine.example")
    build.user("clinician", theirs, email="staff@theirs.example")
    build.user("clinician", mine, theirs, email="shared@both.example")
    their_client, my_client = build.client(theirs), build.client(mine)
    for email in ("staff@mine.example", "staff@theirs.example", "shared@both.example"):
        sign_in(client, email)
        client.get(f"/clinic/clients/{my_client if 'mine' in email else their_client}")
        client.post("/logout")
    client.post("/login", data={"email": "staff@theirs.example", "password": "wrong"})
    client.post("/login", data={"email": "nobody@nowhere.example", "password": "wrong"})

    page = _audit_page(client, "admin@mine.example")
    assert "staff@mine.example" in page
    assert "staff@theirs.example" not in page  # their sign-ins and failures
    assert "shared@both.example" not in page  # an account it does not wholly administer
    assert f"Client {their_client}<" not in page and f"Client {my_client}<" in page
    assert "login.failed" not in page  # both failures were outside its sites

    everything = _audit_page(client, "all@both.example")
    for email in ("staff@mine.example", "staff@theirs.example", "shared@both.example"):
        assert email in everything
    assert f"Client {their_client}<" in everything
    assert everything.count("login.failed") == 2


def test_two_commits_that_touch_the_same_row_do_not_deadlock(app, build):
    """A holds a row lock and commits later; B changes that row and commits meanwhile. B
    must wait for the row before it takes the chain's lock, or each waits for the other."""
    site = build.site()
    a_holds_the_row, failures = threading.Event(), []

    def transaction(name: str, wait_first: bool) -> None:
        try:
            with app.app_context():
                if wait_first:
                    a_holds_the_row.wait(5)
                db.session.get(Site, site).name = f"Renamed by {name}"
                audit.record(f"site.update.{name}")
                if not wait_first:
                    db.session.flush()  # A: the row is locked until A commits
                    a_holds_the_row.set()
                    time.sleep(0.5)  # B is now in its commit, waiting
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"{name}: {error!r}")

    workers = [threading.Thread(target=transaction, args=("A", False)),
               threading.Thread(target=transaction, args=("B", True))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    with app.app_context():
        assert audit.verify_chain().events == 2


def test_the_export_carries_the_chain_for_checking_elsewhere(app):
    record_events(app, "login", "client.read", "logout")
    rows = list(csv.DictReader(io.StringIO(run_cli(app, "audit-export").output)))
    assert [row["seq"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["prev_hash"] == "0" * 64
    assert [row["prev_hash"] for row in rows[1:]] == [row["hash"] for row in rows[:-1]]
