"""The translation workflow: statuses per text, history, review by admins only, policy."""

import sqlalchemy as sa
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.instruments.store import definition_of
from interpreter_support.models import (
    Administration,
    InstrumentText,
    InstrumentTextHistory,
    InstrumentVersion,
)


def arabic_rows(app, version_id):
    with app.app_context():
        return {row.path: (row.id, row.text, row.status) for row in db.session.scalars(
            sa.select(InstrumentText).where(InstrumentText.instrument_version_id == version_id,
                                            InstrumentText.language == "ar"))}


def test_shipped_texts_become_rows_with_their_status_and_history(app, trust_version):
    rows = arabic_rows(app, trust_version)
    assert rows and {status for _, _, status in rows.values()} == {"machine_draft"}
    with app.app_context():
        history = db.session.query(InstrumentTextHistory).join(InstrumentText).filter(
            InstrumentText.instrument_version_id == trust_version).count()
        texts = db.session.query(InstrumentText).filter_by(
            instrument_version_id=trust_version).count()
        assert history == texts  # each text starts with one history entry


def test_review_changes_text_and_status_with_history(admin, app, trust_version):
    rows = arabic_rows(app, trust_version)
    row_id, text, _ = rows["items.safe-1.text"]
    page = admin["web"].get(f"/translations/{trust_version}/ar").get_data(as_text=True)
    assert "I felt safe" in page or "safe" in page
    response = admin["web"].post(f"/translations/{trust_version}/ar", data={
        f"text-{row_id}": text + " (مراجَع)", f"status-{row_id}": "reviewed",
        f"back-{row_id}": "I felt safe here (reviewed)"})
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(InstrumentText, row_id)
        assert (row.status, row.back_translation) == ("reviewed", "I felt safe here (reviewed)")
        assert [h.source for h in row.history] == ["shipped", "review"]
        assert row.history[-1].changed_by_id == admin["user"]
        version = db.session.get(InstrumentVersion, trust_version)
        defn = definition_of(version)
        assert defn.item("safe-1").text.get("ar").endswith("(مراجَع)")
        assert str(defn.status("ar")) == "machine_draft"  # the weakest text decides


def test_only_admins_review(build, login, trust_version):
    site = build.site()
    for role in ("clinician", "evaluator", "interpreter"):
        web = login(build.user(role, site))
        assert web.get(f"/translations/{trust_version}/ar").status_code == 403
        assert web.post(f"/translations/{trust_version}/ar", data={}).status_code == 403
        web.post("/logout")


def test_bad_review_input_changes_nothing(admin, app, trust_version):
    rows = arabic_rows(app, trust_version)
    row_id, _, _ = rows["items.safe-1.text"]
    for data in ({f"status-{row_id}": "divine"}, {f"status-{row_id}": "source"},
                 {f"text-{row_id}": "bad\x00text"}):
        admin["web"].post(f"/translations/{trust_version}/ar", data=data)
    assert arabic_rows(app, trust_version) == rows
    assert admin["web"].get(f"/translations/{trust_version}/xx").status_code == 404


def _approve_all(app, build, site, version_id, language):
    """Every text reviewed by one admin, then approved by another (four eyes)."""
    from interpreter_support.instruments.texts import change_text
    from interpreter_support.models import User

    reviewer, approver = build.user("admin", site), build.user("admin", site)
    with app.app_context():
        rows = list(db.session.scalars(sa.select(InstrumentText).where(
            InstrumentText.instrument_version_id == version_id,
            InstrumentText.language == language)))
        for user_id, status in ((reviewer, "reviewed"), (approver, "approved")):
            for row in rows:
                change_text(row, status=status, user=db.session.get(User, user_id),
                            source="review")
        db.session.commit()
        db.session.commit()


def test_site_policy_decides_what_clients_read_alone(admin, build, app, other_app,
                                                     trust_version, login):
    from app_support import sign_in

    strict = other_app(allow_draft_translations=False)
    clinician = build.user("clinician", admin["site"], email="c@example.org")
    session_id = build.session(build.episode(build.client(admin["site"])), clinician, 1)
    web = strict.test_client()
    sign_in(web, "c@example.org")
    start = {"instrument": "trust-safety", "language": "ar", "delivery": "kiosk"}
    refused = web.post(f"/clinic/sessions/{session_id}/questionnaires", data=start)
    assert refused.status_code == 400 and "Machine draft" in refused.get_data(as_text=True)
    _approve_all(app, build, admin["site"], trust_version, "ar")
    accepted = web.post(f"/clinic/sessions/{session_id}/questionnaires", data=start)
    assert accepted.headers["Location"] == "/kiosk"
    with strict.app_context():
        assert db.session.scalar(sa.select(Administration.translation_status)) == "approved"


def test_incomplete_language_is_only_offered_read_aloud(admin, app, build, tmp_path, client):
    import json

    partial = {
        "id": "partial-check", "version": "1", "source_language": "en",
        "languages": {"en": "source", "ar": "approved"}, "respondent_role": "client",
        "title": {"en": "Check", "ar": "فحص"}, "licence": "CC BY 4.0",
        "scales": {"yn": {"orientation": "low_to_high_inline_start", "options": [
            {"value": 0, "label": {"en": "No", "ar": "لا"}},
            {"value": 1, "label": {"en": "Yes", "ar": "نعم"}}]}},
        "items": [
            {"link_id": "a", "type": "choice", "text": {"en": "First", "ar": "الأول"},
             "scale": "yn"},
            {"link_id": "b", "type": "choice", "text": {"en": "Second"}, "scale": "yn"}],
        "scoring": {"method": "sum", "min_answered": {"count": 1}, "prorate": True},
    }
    path = tmp_path / "partial.json"
    path.write_text(json.dumps(partial, ensure_ascii=False), encoding="utf-8")
    result = run_cli(app, "instruments", "import", str(path))
    assert result.exit_code == 0, result.output
    clinician = build.user("clinician", admin["site"], email="c2@example.org")
    client_id = build.client(admin["site"], language="ar")
    session_id = build.session(build.episode(client_id), clinician, 1)
    admin["web"].post("/logout")
    from app_support import sign_in
    sign_in(client, "c2@example.org")
    start = {"instrument": "partial-check", "language": "ar", "delivery": "kiosk"}
    response = client.post(f"/clinic/sessions/{session_id}/questionnaires", data=start)
    assert response.status_code == 400
    assert "1 texts missing" in response.get_data(as_text=True)
    start["delivery"] = "interpreter_aloud"
    assert client.post(f"/clinic/sessions/{session_id}/questionnaires",
                       data=start).status_code == 302
