"""The README's PostgreSQL role layout, run as written: the app's role inserts and reads
audit events, and can neither change them, delete them, empty the table nor drop the
triggers (PostgreSQL only)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from app_support import make_config, run_cli

from interpreter_support import audit, create_app
from interpreter_support.extensions import db
from interpreter_support.models import AuditEvent, Site

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_grants(role: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- app-role-grants:.*?-->\s*```sql\n(.*?)```", text, re.S)
    assert block, "the README lost its app-role-grants block"
    sql = block.group(1).replace("interpreter_support_app", role)
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


@pytest.fixture
def app_role(app, tmp_path):
    """An app on the test database, connected as a new role given the README's rights."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("roles and rights are PostgreSQL's")
        role = f"a16app_{secrets.token_hex(4)}"
        with db.engine.begin() as connection:
            connection.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
            for statement in readme_grants(role):
                connection.execute(sa.text(statement))
        url = db.engine.url.set(username=role).render_as_string(hide_password=False)
    role_app = create_app(make_config(url, str(tmp_path / "role-instance")))
    yield role_app
    with role_app.app_context():
        db.session.remove()
        db.engine.dispose()
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP OWNED BY {role}"))
        connection.execute(sa.text(f"DROP ROLE {role}"))


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET action = 'nothing.happened'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events CASCADE",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
    "SET session_replication_role = replica",
])
def test_the_app_role_only_inserts_and_reads_the_audit_log(app_role, statement):
    with app_role.app_context():
        db.session.add(Site(code="R1", name="Works as usual"))
        audit.record("site.create")
        db.session.commit()
        with pytest.raises(sa.exc.DBAPIError, match="permission denied|must be owner"):
            db.session.execute(sa.text(statement))
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 1
    assert run_cli(app_role, "audit-verify").exit_code == 0
