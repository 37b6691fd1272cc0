"""The audit log records identifiable reads and changes, and cannot be rewritten."""

import csv
import io
import logging

import pytest
import sqlalchemy as sa
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.logs import RedactTokens
from interpreter_support.models import AuditEvent
from interpreter_support.models.audit import AppendOnly


def events(app):
    with app.app_context():
        return [(e.action, e.object_type, e.object_id, e.user_id) for e in
                db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]


def test_reads_and_changes_are_recorded_with_who_and_where(app, build, login):
    site, other = build.site(), build.site()
    clinician = build.user("clinician", site)
    client_id, foreign = build.client(site), build.client(other)
    web = login(clinician)
    web.get(f"/clinic/clients/{client_id}")
    web.get(f"/clinic/clients/{foreign}")  # 404: nothing was read
    web.post(f"/clinic/clients/{client_id}/edit", data={
        "site_id": site, "code": "NEW-CODE", "preferred_language": "ar", "gender": ""})
    recorded = events(app)
    assert ("login", None, None, clinician) in recorded
    assert ("client.read", "Client", client_id, clinician) in recorded
    assert ("client.update", "Client", client_id, clinician) in recorded
    assert not [e for e in recorded if e[2] == foreign]
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "client.read"))
        assert event.remote_addr == "127.0.0.1" and event.site_id == site


def test_failed_sign_in_is_recorded(app, client, build):
    user = build.user("clinician", build.site(), email="x@example.org")
    client.post("/login", data={"email": "x@example.org", "password": "wrong"})
    assert ("login.failed", None, None, user) in events(app)


def test_events_cannot_be_changed_or_deleted(app, build, login):
    login(build.user("admin", build.site()))
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent))
        event.action = "nothing.happened"
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalar(sa.select(AuditEvent)))
        with pytest.raises(AppendOnly):
            db.session.flush()
        db.session.rollback()


def test_admin_searches_and_exports_the_log(app, build, login):
    site = build.site()
    admin = build.user("admin", site)
    client_id = build.client(site)
    web = login(admin)
    web.get(f"/clinic/clients/{client_id}")
    page = web.get("/admin/audit?action=client.read").get_data(as_text=True)
    assert "client.read" in page and "login" not in page.split("<tbody>")[1]
    assert web.get("/admin/audit?since=not-a-date").status_code == 400
    result = run_cli(app, "audit-export")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {row["action"] for row in rows} >= {"login", "client.read"}
    web.post("/logout")
    assert login(build.user("clinician", site)).get("/admin/audit").status_code == 403


def test_link_tokens_never_reach_the_logs(caplog):
    logger = logging.getLogger("werkzeug")
    logger.addFilter(RedactTokens())
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('%s - - "%s" %s', "127.0.0.1", "GET /r/AbC_123-xyzTOKENvalue HTTP/1.1", 200)
    assert "AbC_123-xyzTOKENvalue" not in caplog.text
    assert "/r/[token]" in caplog.text


def test_the_audit_export_neutralises_formula_like_cells(app):
    from interpreter_support import audit
    from interpreter_support.extensions import db

    with app.test_request_context(environ_base={"REMOTE_ADDR": "=HYPERLINK(\"x\")"}):
        audit.record("login.failed")
        db.session.commit()
    rows = list(csv.DictReader(io.StringIO(run_cli(app, "audit-export").output)))
    assert [row["remote_addr"] for row in rows] == ["'=HYPERLINK(\"x\")"]
