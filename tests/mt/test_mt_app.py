"""Machine translation inside the app, through the real engine on tiny built models:
drafts as a background job, back-translation with chrF, free text, memory, pivot."""

import threading
import time

import mt_tiny_model as tiny
import pytest
import sqlalchemy as sa
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText, TranslationJob, TranslationMemoryEntry
from interpreter_support.translation import mt
from interpreter_support.vocabulary import JobState


@pytest.fixture
def models(app, build_archive):
    """"Spanish" is upper-case English; "Arabic" is English shifted one letter forward;
    "French" is upper-case English, reached from Arabic only through English."""
    for spec in (("en", "es", tiny.upper), ("es", "en", tiny.lower),
                 ("en", "ar", tiny.shift_forward), ("ar", "en", tiny.shift_back),
                 ("en", "fr", tiny.upper)):
        result = run_cli(app, "mt", "install",
                                                    str(build_archive(*spec)))
        assert result.exit_code == 0, result.output
    listed = run_cli(app, "mt", "list").output
    assert "en -> es" in listed and "ar -> en" in listed


@pytest.fixture
def reviewer(build, login):
    return login(build.user("admin", build.site()))


def spanish(app):
    from interpreter_support.instruments.store import version_by_instrument

    with app.app_context():
        version = version_by_instrument("trust-safety")
        db.session.commit()
        rows = list(db.session.scalars(sa.select(InstrumentText).where(
            InstrumentText.instrument_version_id == version.id)))
        return version.id, {r.path: (r.text, r.status, r.machine_back_translation, r.similarity)
                            for r in rows if r.language == "es"}, \
            {r.path: r.text for r in rows if r.language == "en"}


def wait_for(app, job_id: int, seconds: float = 30):
    """The finished job, once its thread has ended (and given its connection back)."""
    for thread in threading.enumerate():
        if thread.name == f"translation-job-{job_id}":
            thread.join(seconds)
            assert not thread.is_alive(), "the job did not finish"
    with app.app_context():
        job = db.session.get(TranslationJob, job_id)
        assert job.state in (JobState.DONE, JobState.FAILED), job.state
        return job


def test_draft_job_runs_in_the_background_and_marks_machine_drafts(app, models, reviewer):
    version_id, before, source = spanish(app)
    assert {status for _, status, _, _ in before.values()} == {"machine_draft"}
    started = time.monotonic()
    response = reviewer.post(f"/translations/{version_id}/es/machine/draft")
    assert time.monotonic() - started < 2  # the page does not wait for the model
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = reviewer.get(f"/translations/jobs/{job_id}")
    assert page.status_code == 200
    job = wait_for(app, job_id)
    assert job.state == JobState.DONE and job.done == job.total == len(source)
    _, after, _ = spanish(app)
    for path, text in source.items():
        assert after[path][:2] == (text.upper(), "machine_draft")


def test_drafts_never_overwrite_a_persons_translation(app, models):
    from interpreter_support.instruments.texts import change_text

    version_id, before, source = spanish(app)
    with app.app_context():
        row = db.session.scalar(sa.select(InstrumentText).filter_by(
            instrument_version_id=version_id, language="es", path="items.safe-1.text"))
        change_text(row, text="Me sentí seguro aquí hoy.", status="forward_translation",
                    source="review")
        db.session.commit()
    result = run_cli(app, "mt", "draft", "--instrument", "trust-safety",
                                                "--to", "es")
    assert result.exit_code == 0, result.output
    _, after, _ = spanish(app)
    assert after["items.safe-1.text"][:2] == ("Me sentí seguro aquí hoy.", "forward_translation")
    assert after["items.safe-2.text"][0] == source["items.safe-2.text"].upper()


def test_a_persons_correction_survives_the_bulk_draft_whatever_its_status(app, models,
                                                                       reviewer):
    """Shipped texts are machine drafts; a reviewer corrects one on the page and leaves
    its status alone. Drafting the language again by machine keeps the correction."""
    version_id, before, source = spanish(app)
    with app.app_context():
        row = db.session.scalar(sa.select(InstrumentText).filter_by(
            instrument_version_id=version_id, language="es", path="items.safe-1.text"))
        row_id = row.id
    corrected = "Hoy me sentí a salvo aquí."
    with app.app_context():  # the page sends every row's boxes, empty ones included
        rows = db.session.scalars(sa.select(InstrumentText).filter_by(
            instrument_version_id=version_id, language="es")).all()
        form = {}
        for other in rows:
            form |= {f"text-{other.id}": other.text, f"status-{other.id}": other.status,
                     f"back-{other.id}": ""}
    form[f"text-{row_id}"] = corrected
    saved = reviewer.post(f"/translations/{version_id}/es", data=form)
    assert saved.status_code in (200, 302), saved.get_data(as_text=True)
    job_id = int(reviewer.post(f"/translations/{version_id}/es/machine/draft")
                 .headers["Location"].rsplit("/", 1)[1])
    assert wait_for(app, job_id).state == JobState.DONE
    _, after, _ = spanish(app)
    assert after["items.safe-1.text"][:2] == (corrected, "machine_draft")
    assert after["items.safe-2.text"][0] == source["items.safe-2.text"].upper()


def test_back_translation_scores_drift_and_memory_spares_the_model(app, models, monkeypatch):
    from interpreter_support.translation.mt import engine

    runner = app.test_cli_runner()
    assert runner.invoke(args=["mt", "draft", "--instrument", "trust-safety", "--to",
                               "es"]).exit_code == 0
    assert runner.invoke(args=["mt", "draft", "--instrument", "trust-safety", "--to", "es",
                               "--back-translate"]).exit_code == 0
    _, rows, source = spanish(app)
    for path, (_, _, back, score) in rows.items():
        assert back == source[path].lower()
        assert 0 < score <= 100
    with app.app_context():
        entries = db.session.query(TranslationMemoryEntry).count()
    calls = []
    monkeypatch.setattr(engine, "translate_texts",
                        lambda package, texts: calls.append(texts) or texts)
    assert runner.invoke(args=["mt", "draft", "--instrument", "trust-safety", "--to", "es",
                               "--back-translate"]).exit_code == 0
    assert calls == []  # every text came from the translation memory
    with app.app_context():
        assert db.session.query(TranslationMemoryEntry).count() == entries


def test_free_text_is_translated_beside_the_original_through_english(app, models, build,
                                                                       login):
    from interpreter_support.instruments.store import version_by_instrument
    from interpreter_support.models import Administration, Answer

    site = build.site()
    clinician = build.user("clinician", site)
    session_id = build.session(build.episode(build.client(site, language="ar")), clinician, 1,
                               "in_person", build.interpreter(site))
    original = tiny.shift_text("the interpreter helped me")
    with app.app_context():
        version = version_by_instrument("interpreter-experience")
        from interpreter_support.models import ClinicalSession
        from interpreter_support.questionnaires import administration as ops
        session = db.session.get(ClinicalSession, session_id)
        administration = ops.start(version, session.episode.client, session=session,
                                   respondent_role="client", language="ar", mode="self",
                                   channel="kiosk")
        comment = next(i.link_id for i in ops.definition_of(version).items if i.type == "text")
        outcome = ops.submit(administration, {comment: original}, "ar")
        assert outcome.completed
        db.session.commit()
        administration_id = administration.id
    web = login(clinician)
    with app.app_context():
        from interpreter_support.models import User
        db.session.get(User, clinician).locale = "fr"
        db.session.commit()
    page = web.post(f"/q/administrations/{administration_id}").get_data(as_text=True)
    assert original in page
    assert "THE INTERPRETER HELPED ME" in page  # ar -> en -> fr (upper-case)
    with app.app_context():
        assert db.session.query(Answer).count() >= 1
        assert db.session.get(Administration, administration_id).is_complete


def test_missing_pair_is_said_plainly(app, models, reviewer):
    version_id, _, _ = spanish(app)
    page = reviewer.get(f"/translations/{version_id}/fa-AF").get_data(as_text=True)
    assert "No offline machine translation is available" in page
    assert "Dari" in page
    result = run_cli(app, "mt", "translate", "--from", "ps", "--to", "en",
                                                "hello")
    assert result.exit_code == 1 and "Pashto" in result.output


def test_batch_translate_and_remove(app, models, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("the client feels safe\nthe session went well\n", encoding="utf-8")
    result = run_cli(app, "mt", "translate", "--from", "en", "--to", "es",
                                                "--file", str(lines))
    assert result.exit_code == 0
    assert "THE CLIENT FEELS SAFE\nTHE SESSION WENT WELL" in result.output
    assert run_cli(app, "mt", "remove", "en", "es").exit_code == 0
    with pytest.raises(mt.NoRoute):
        mt.find_route("en", "es")
    result = run_cli(app, "mt", "install", str(lines))
    assert result.exit_code == 1
