"""The evaluator's page on data shapes the demo does not plan for: no 5xx, and the filters
do what they say."""

import io
import re

import pandas as pd
import pytest
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Client, ClinicalSession, Site

BASE = "/evaluate/?perspective=client&score=score_total"


@pytest.mark.parametrize("query", [
    "&instrument=alliance&cohort_by=interpreting&languages=ps",
    "&instrument=alliance&cohort_by=interpreting&languages=ti",
    "&instrument=alliance&cohort_by=modality&languages=ps&languages=ti",
    "&instrument=interpreter-experience&cohort_by=interpreting",
    "&instrument=interpreter-experience&cohort_by=modality",
    "&instrument=trust-safety&cohort_by=continuity&languages=uk",
])
def test_selections_answer_a_page_not_an_error(evaluator, query):
    response = evaluator.get(BASE + query)
    assert response.status_code in (200, 400), response.status_code
    assert response.status_code == 200 or "error" in response.get_data(as_text=True)


def test_a_questionnaire_started_twice_in_one_session_is_counted_once(app, evaluator):
    """Starting a questionnaire twice in a session is allowed; the first completed one
    counts and the page says how many were left out."""
    with app.app_context():
        first = db.session.scalars(db.select(Administration).where(
            Administration.respondent_role == "client",
            Administration.completed_at.is_not(None))).first()
        session = db.session.get(ClinicalSession, first.clinical_session_id)
        client_code, session_id = session.episode.client.code, session.id
        instrument_id = first.instrument_version.instrument_id
    result = run_cli(app, "issue-link", "--client", client_code, "--instrument", instrument_id,
                     "--session", str(session_id))
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[0].rsplit("/r/", 1)[1]
    link = app.test_client()
    page = link.get(f"/r/{token}").get_data(as_text=True)
    answers = {name: "3" for name in set(re.findall(r'name="(item-[^"]+)"', page))}
    language = re.search(r'name="language" value="([^"]+)"', page)[1]
    done = link.post(f"/r/{token}", data={"action": "submit", "language": language, **answers})
    assert done.status_code == 200, done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Administration).where(
            Administration.clinical_session_id == session_id,
            Administration.respondent_role == "client",
            Administration.completed_at.is_not(None))) >= 2
    query = f"&instrument={instrument_id}&cohort_by=interpreting"
    if instrument_id.startswith("alliance"):
        query = "&instrument=alliance&cohort_by=interpreting"
    response = evaluator.get(BASE + query)
    assert response.status_code == 200
    assert "1 questionnaire answered again in the same session was left out" in \
        response.get_data(as_text=True)
    export = evaluator.get("/evaluate/export/data.csv?perspective=client" + query)
    assert export.status_code == 200
    rows = pd.read_csv(io.BytesIO(export.data))
    keys = ["episode_key", "session_number", "respondent_role", "instrument_id"]
    assert not rows.duplicated(keys).any()


def test_the_site_filter_keeps_only_the_chosen_site(app, evaluator):
    with app.app_context():
        site = db.session.scalars(db.select(Site).order_by(Site.id)).first()
        at_site = db.session.scalar(db.select(db.func.count()).select_from(Client)
                                    .where(Client.site_id == site.id))
        everywhere = db.session.scalar(db.select(db.func.count()).select_from(Client))
    assert 0 < at_site < everywhere
    query = "?instrument=alliance&perspective=client&score=score_total&cohort_by=interpreting"
    every = pd.read_csv(io.BytesIO(evaluator.get("/evaluate/export/data.csv" + query).data))
    one = pd.read_csv(io.BytesIO(
        evaluator.get(f"/evaluate/export/data.csv{query}&sites={site.id}").data))
    assert one["site_key"].nunique() == 1
    assert one["client_key"].nunique() < every["client_key"].nunique()


@pytest.mark.parametrize("options", [
    {"instrument_id": "alliance", "scores": ["total"], "items": "first", "roles": ["client"]},
    {"instrument_id": "alliance", "items": "all"},
    {"instrument_id": "trust-safety", "items": "all"},
    {},
])
def test_the_extracted_frame_is_already_valid(app, demo, options):
    """The page skips validate_dataset on the frame the extraction built: it must come out
    of validation unchanged, column types included."""
    import sqlalchemy as sa

    from interpreter_support.analysis.dataset import validate_dataset
    from interpreter_support.evaluation.extract import load_dataset, new_salt

    with app.app_context():
        sites = set(db.session.scalars(sa.select(Site.id)))
        frame = load_dataset(db.session, sites, new_salt(), **options)
    assert len(frame) > 0
    pd.testing.assert_frame_equal(validate_dataset(frame), frame)


def test_sessions_attended_counts_sessions_without_a_questionnaire(app, build):
    """Retention counts the last session attended, not the last one with answers."""
    import sqlalchemy as sa

    from interpreter_support.evaluation.extract import load_dataset, new_salt

    site = build.site()
    clinician = build.user("clinician", site)
    client_id = build.client(site)
    episode = build.episode(client_id)
    first = build.session(episode, clinician, 1)
    for number in (2, 3, 4):  # attended, no questionnaire
        build.session(episode, clinician, number)
    build.answered(client_id, first, "trust-safety")
    with app.app_context():
        data = load_dataset(db.session, [site], new_salt(), instrument_id="trust-safety")
        assert db.session.scalar(sa.select(sa.func.count(Administration.id))) == 1
    assert data["episode_sessions"].tolist() == [4]
