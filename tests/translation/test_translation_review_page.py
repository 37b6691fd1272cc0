"""The review page: machine text marked, chrF explained, a box for texts never translated."""

from translation_support import language_rows

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText

PATH = "items.safe-1.text"


def test_machine_text_is_marked_and_chrf_explained(admin, app, trust_version):
    with app.app_context():
        row = db.session.get(InstrumentText, language_rows(app, trust_version, "ar")[PATH].id)
        row.machine_back_translation, row.similarity = "I felt safe here today", 83.0
        db.session.commit()
    page = admin["web"].get(f"/translations/{trust_version}/ar").get_data(as_text=True)
    assert "Machine draft: no person has checked it" in page
    assert "What the similarity score (chrF) means" in page and "Below about 50" in page


def test_a_text_never_translated_gets_a_box_and_a_first_translation(admin, app, trust_version):
    with app.app_context():
        db.session.delete(db.session.get(
            InstrumentText, language_rows(app, trust_version, "ar")[PATH].id))
        db.session.commit()
    page = admin["web"].get(f"/translations/{trust_version}/ar").get_data(as_text=True)
    assert f'name="new-{PATH}"' in page
    admin["web"].post(f"/translations/{trust_version}/ar", data={f"new-{PATH}": "نص أول"})
    with app.app_context():
        row = db.session.get(InstrumentText, language_rows(app, trust_version, "ar")[PATH].id)
        assert (row.text, row.status) == ("نص أول", "forward_translation")
        assert [(h.source, h.changed_by_id) for h in row.history] == [("review", admin["user"])]
