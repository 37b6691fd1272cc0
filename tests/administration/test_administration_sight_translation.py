"""A questionnaire read aloud in a language it has no texts in (Amharic) is translated at
sight from the clinician's language: recorded as such, and counted apart by the evaluator."""

import sqlalchemy as sa
from administration_support import full_answers

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Site


def test_read_aloud_in_a_language_without_texts_is_recorded_as_sight_translated(
        app, clinic, login):
    web = login(clinic["clinician"])
    kiosk = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "Amharic", "delivery": "kiosk"})
    assert kiosk.status_code == 400  # nobody reads alone what was never written
    assert "not ready for a client to read alone" in kiosk.get_data(as_text=True)
    response = web.post(f"/clinic/sessions/{clinic['interpreted']}/questionnaires", data={
        "instrument": "alliance-client", "language": "Amharic",
        "delivery": "interpreter_aloud"})
    enter_path = response.headers["Location"]
    page = web.get(enter_path).get_data(as_text=True)
    # the text to translate from, in the clinician's language, marked as such
    assert ('<span lang="en" dir="auto">My counsellor knows what I want to change in my life.'
            in page)
    assert web.post(enter_path, data=full_answers("3")).status_code == 302
    with app.app_context():
        administration = db.session.scalar(sa.select(Administration))
        assert (administration.language, administration.translation_status) == (
            "am", "sight_translated")
        assert administration.is_complete

        from interpreter_support.evaluation.extract import load_dataset, new_salt
        sites = set(db.session.scalars(sa.select(Site.id)))
        data = load_dataset(db.session, sites, new_salt(), instrument_id="alliance")
    row = data.loc[data["administration_language"] == "am"].iloc[0]
    assert row["translation_status"] == "sight_translated"
