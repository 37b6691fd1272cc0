"""Translators: their own languages only, statuses proposed up to 'reviewed'."""

from io import BytesIO

from app_support import run_cli
from translation_support import all_texts, language_rows

from interpreter_support.extensions import db
from interpreter_support.instruments.reviewers import languages_of
from interpreter_support.models import InstrumentText, User

PATH = "items.safe-1.text"


def _translator(build, login, *languages):
    site = build.site()
    user = build.user("translator", site)
    build.translates(user, *languages)
    return user, login(user)


def test_a_translator_edits_and_proposes_for_their_language(build, login, app, trust_version):
    user, web = _translator(build, login, "ar")
    assert web.get("/").headers["Location"] == "/translations/"
    overview = web.get("/translations/").get_data(as_text=True)
    assert f"/translations/{trust_version}/ar" in overview
    assert f"/translations/{trust_version}/fa" not in overview
    row = language_rows(app, trust_version, "ar")[PATH]
    assert web.post(f"/translations/{trust_version}/ar", data={
        f"text-{row.id}": row.text + " اليوم", f"status-{row.id}": "reviewed"}).status_code == 302
    with app.app_context():
        saved = db.session.get(InstrumentText, row.id)
        assert (saved.status, saved.history[-1].changed_by_id) == ("reviewed", user)


def test_a_translator_cannot_approve(build, login, app, trust_version):
    _, web = _translator(build, login, "ar")
    row = language_rows(app, trust_version, "ar")[PATH]
    page = web.get(f"/translations/{trust_version}/ar").get_data(as_text=True)
    assert 'value="approved"' not in page
    web.post(f"/translations/{trust_version}/ar", data={f"status-{row.id}": "reviewed"})
    before = all_texts(app)
    refused = web.post(f"/translations/{trust_version}/ar", data={f"status-{row.id}": "approved"})
    assert refused.status_code == 400 and all_texts(app) == before


def test_a_translator_reaches_no_other_language(build, login, app, trust_version):
    _, web = _translator(build, login, "ar")
    row = language_rows(app, trust_version, "fa")[PATH]
    body = web.get(f"/translations/{trust_version}/ar.po").data
    before = all_texts(app)
    assert web.get(f"/translations/{trust_version}/fa").status_code == 403
    assert web.get(f"/translations/{trust_version}/fa.po").status_code == 403
    assert web.post(f"/translations/{trust_version}/fa",
                    data={f"text-{row.id}": "متن دیگر"}).status_code == 403
    assert web.post(f"/translations/{trust_version}/fa/po",
                    data={"po": (BytesIO(body.replace(b"Language: ar", b"Language: fa")),
                                 "x.po")},
                    content_type="multipart/form-data").status_code == 403
    assert web.post(f"/translations/{trust_version}/fa/machine/draft").status_code == 403
    assert all_texts(app) == before


def test_admins_assign_a_translators_languages(admin, app):
    form = {"email": "t@example.org", "display_name": "Tina Translator", "role": "translator",
            "site_ids": str(admin["site"]), "password": "a long enough password",
            "active": "y"}
    refused = admin["web"].post("/admin/users/new", data=form)
    assert refused.status_code == 400 and "at least one language" in refused.get_data(
        as_text=True)
    saved = admin["web"].post("/admin/users/new", data=form | {"translates": ["ar", "fa-AF"]})
    assert saved.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(email="t@example.org").one()
        assert (user.role, languages_of(user)) == ("translator", {"ar", "fa-AF"})


def test_the_cli_creates_a_translator_with_languages(build, app):
    build.site("NORTH")
    command = ("create-user", "t@example.org", "--role", "translator", "--site", "NORTH",
               "--password-stdin")
    password = "a long enough password\n"
    for extra, problem in (((), "at least one language"),
                           (("--translates", "xx"), "Not languages of the review pages: xx")):
        result = run_cli(app, *command, *extra, input=password)
        assert result.exit_code == 1 and problem in result.output
    result = run_cli(app, *command, "--translates", "fa-AF", "--translates", "ar",
                     input=password)
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.query(User).filter_by(email="t@example.org").one()
        assert languages_of(user) == {"ar", "fa-AF"}
