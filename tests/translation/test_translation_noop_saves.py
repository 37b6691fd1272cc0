"""Saving the review page writes only what changed: no rewritten rows, no empty history."""

from translation_support import all_texts, form_as_shown, language_rows

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText


def test_saving_the_page_untouched_writes_nothing(admin, app, trust_version):
    before = all_texts(app)
    response = admin["web"].post(f"/translations/{trust_version}/ar",
                                 data=form_as_shown(app, trust_version, "ar"))
    assert response.status_code == 302
    assert "0 texts changed" in admin["web"].get(response.headers["Location"]).get_data(
        as_text=True)
    assert all_texts(app) == before


def test_one_status_changed_changes_one_row(admin, app, trust_version):
    rows = language_rows(app, trust_version, "ar")
    chosen = rows["items.safe-1.text"]
    before = all_texts(app)
    admin["web"].post(f"/translations/{trust_version}/ar", data=form_as_shown(
        app, trust_version, "ar", **{f"status-{chosen.id}": "forward_translation"}))
    after = all_texts(app)
    changed = {key for key in before["texts"] if before["texts"][key] != after["texts"][key]}
    assert changed == {(trust_version, "items.safe-1.text", "ar")}
    assert after["history"] == before["history"] + 1


def test_line_ends_and_surrounding_space_the_browser_adds_are_no_change(admin, app,
                                                                        trust_version):
    rows = language_rows(app, trust_version, "ar")
    chosen = rows["items.safe-1.text"]
    before = all_texts(app)
    admin["web"].post(f"/translations/{trust_version}/ar", data=form_as_shown(
        app, trust_version, "ar", **{f"text-{chosen.id}": f"\r\n{chosen.text}  \r\n"}))
    assert all_texts(app) == before


def test_a_real_edit_records_who_the_old_text_and_the_reason(admin, app, trust_version):
    chosen = language_rows(app, trust_version, "ar")["items.safe-1.text"]
    admin["web"].post(f"/translations/{trust_version}/ar", data={
        f"text-{chosen.id}": chosen.text + " اليوم", "reason": "The source says 'today'."})
    with app.app_context():
        entry = db.session.get(InstrumentText, chosen.id).history[-1]
        assert (entry.changed_by_id, entry.previous_text, entry.text, entry.reason) == (
            admin["user"], chosen.text, chosen.text + " اليوم", "The source says 'today'.")
    page = admin["web"].get(f"/translations/{trust_version}/ar").get_data(as_text=True)
    assert "<ins> اليوم</ins>" in page and "The source says" in page
