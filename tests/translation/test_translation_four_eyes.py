"""Approval by a second person: nobody approves a text they changed last, a machine draft is
reviewed before it is approved, and a changed approved text needs approving again."""

from translation_support import language_rows

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText

PATH = "items.safe-1.text"


def _status(app, row_id):
    with app.app_context():
        return db.session.get(InstrumentText, row_id).status


def _post(web, version, data):
    return web.post(f"/translations/{version}/ar", data=data)


def test_the_last_editor_cannot_approve_a_second_admin_can(admin, build, login, app,
                                                           trust_version):
    row = language_rows(app, trust_version, "ar")[PATH]
    edited = _post(admin["web"], trust_version, {f"text-{row.id}": row.text + " (مراجَع)",
                                                 f"status-{row.id}": "reviewed"})
    assert edited.status_code == 302 and _status(app, row.id) == "reviewed"
    refused = _post(admin["web"], trust_version, {f"status-{row.id}": "approved"})
    assert refused.status_code == 400 and "four eyes" in refused.get_data(as_text=True)
    assert _status(app, row.id) == "reviewed"
    admin["web"].post("/logout")
    second = login(build.user("admin", admin["site"]))
    assert _post(second, trust_version, {f"status-{row.id}": "approved"}).status_code == 302
    assert _status(app, row.id) == "approved"


def test_editing_and_approving_in_one_step_is_refused(admin, app, trust_version):
    row = language_rows(app, trust_version, "ar")[PATH]
    response = _post(admin["web"], trust_version, {f"text-{row.id}": row.text + "!",
                                                   f"status-{row.id}": "approved"})
    assert response.status_code == 400
    assert language_rows(app, trust_version, "ar")[PATH].text == row.text


def test_a_machine_draft_is_not_approved_in_one_step(admin, app, trust_version):
    row = language_rows(app, trust_version, "ar")[PATH]
    assert row.status == "machine_draft"
    response = _post(admin["web"], trust_version, {f"status-{row.id}": "approved"})
    assert response.status_code == 400 and "reviewed" in response.get_data(as_text=True)
    assert _status(app, row.id) == "machine_draft"


def test_editing_an_approved_text_sends_it_back_for_approval(admin, build, login, app,
                                                             trust_version):
    row = language_rows(app, trust_version, "ar")[PATH]
    _post(admin["web"], trust_version, {f"status-{row.id}": "reviewed"})
    admin["web"].post("/logout")
    second = login(build.user("admin", admin["site"]))
    _post(second, trust_version, {f"status-{row.id}": "approved"})
    assert _status(app, row.id) == "approved"
    # The page posts the status it shows (approved) along with the edited text.
    _post(second, trust_version, {f"text-{row.id}": row.text + " اليوم",
                                  f"status-{row.id}": "approved"})
    assert _status(app, row.id) == "reviewed"
