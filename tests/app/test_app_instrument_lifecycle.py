"""Retiring a version stops it being offered; what was answered with it stays readable."""

from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.instruments.store import latest_versions


def _offered(app) -> set[str]:
    with app.app_context():
        return {row.instrument_id for row in latest_versions()}


def test_retire_and_reactivate_a_version(app, build, login):
    site = build.site()
    clinician = build.user("clinician", site)
    client_id = build.client(site)
    session_id = build.session(build.episode(client_id), clinician, 1)
    answered = build.answered(client_id, session_id, "trust-safety")
    assert "trust-safety" in _offered(app)
    result = run_cli(app, "instruments", "retire", "trust-safety", "1.0")
    assert result.exit_code == 0, result.output
    assert "offered now: none" in result.output
    assert "trust-safety" not in _offered(app)
    web = login(clinician)
    page = web.get(f"/clinic/sessions/{session_id}").get_data(as_text=True)
    assert 'value="trust-safety"' not in page and 'value="alliance-client"' in page
    assert web.get(f"/q/administrations/{answered}").status_code == 200  # still readable
    again = run_cli(app, "instruments", "retire", "trust-safety", "1.0")
    assert again.exit_code == 1 and "already retired" in again.output
    back = run_cli(app, "instruments", "reactivate", "trust-safety", "1.0")
    assert back.exit_code == 0 and "offered now: trust-safety 1.0" in back.output
    assert "trust-safety" in _offered(app)


def test_retiring_an_unknown_version_says_so_and_changes_nothing(app):
    result = run_cli(app, "instruments", "retire", "trust-safety", "9.9")
    assert result.exit_code == 1 and "no version '9.9' of 'trust-safety'" in result.output
    with app.app_context():
        db.session.remove()
    assert "trust-safety" in _offered(app)
