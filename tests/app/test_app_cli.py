"""The console script and its commands, run through Click's runner on the test database."""

import sqlalchemy as sa
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import Client, ClinicalSession, Episode, Interpreter, Site, User


def test_create_site_and_user_from_stdin(app):
    assert run_cli(app, "create-site", "NORTH", "North clinic").exit_code == 0
    result = run_cli(app, "create-user", "Lead@Example.org", "--role", "admin", "--site", "NORTH",
                 "--password-stdin", input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert (user.email, user.role, [s.code for s in user.sites]) == (
            "lead@example.org", "admin", ["NORTH"])
        assert user.password_hash.startswith("$argon2id$")


def test_create_user_with_prompted_password(app):
    run_cli(app, "create-site", "NORTH", "North clinic")
    result = run_cli(app, "create-user", "c@example.org", "--role", "clinician", "--site", "NORTH",
                 input="a long enough secret\na long enough secret\n")
    assert result.exit_code == 0, result.output


def test_create_user_errors_change_nothing(app):
    run_cli(app, "create-site", "NORTH", "North clinic")
    cases = [
        (["--role", "admin", "--site", "SOUTH"], "no site with code SOUTH"),
        (["--role", "wizard", "--site", "NORTH"], "Invalid value for '--role'"),
    ]
    for options, message in cases:
        result = run_cli(app, "create-user", "x@example.org", *options, "--password-stdin",
                     input="a long enough secret\n")
        assert result.exit_code != 0 and message in result.output
    result = run_cli(app, "create-user", "x@example.org", "--role", "admin", "--site", "NORTH",
                 "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "password: At least 10 characters" in result.output
    assert run_cli(app, "create-site", "NORTH", "Again").exit_code == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == 1


def _demo_fingerprint(app) -> list[tuple]:
    with app.app_context():
        return list(db.session.execute(
            sa.select(Client.code, Client.preferred_language, Episode.end_reason,
                      ClinicalSession.number, ClinicalSession.interpreting,
                      Interpreter.code)
            .join(Episode, Episode.client_id == Client.id)
            .join(ClinicalSession, ClinicalSession.episode_id == Episode.id)
            .outerjoin(Interpreter, Interpreter.id == ClinicalSession.interpreter_id)
            .order_by(Client.code, ClinicalSession.number)
        ))


def test_seed_demo_is_deterministic_and_refuses_to_run_twice(app):
    result = run_cli(app, "seed-demo", "--seed", "7", "--clients", "30")
    assert result.exit_code == 0, result.output
    assert "admin@demo.example" in result.output
    first = _demo_fingerprint(app)
    again = run_cli(app, "seed-demo", "--seed", "7", "--clients", "30")
    assert again.exit_code == 1 and "already" in again.output
    from app_support import empty_tables
    with app.app_context():
        empty_tables()
    run_cli(app, "seed-demo", "--seed", "7", "--clients", "30")
    assert _demo_fingerprint(app) == first
    with app.app_context():
        empty_tables()
    run_cli(app, "seed-demo", "--seed", "8", "--clients", "30")
    assert _demo_fingerprint(app) != first


def test_full_demo_meets_the_promised_sizes(app):
    assert run_cli(app, "seed-demo").exit_code == 0
    with app.app_context():
        count = lambda model: db.session.scalar(  # noqa: E731
            sa.select(sa.func.count()).select_from(model))
        assert count(Site) >= 3 and count(Interpreter) >= 12 and count(Client) >= 300
        assert count(ClinicalSession) >= 3000
        clinicians = db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.role == "clinician"))
        assert clinicians >= 8
        languages = db.session.scalar(sa.select(sa.func.count(sa.distinct(
            Client.preferred_language))))
        assert languages >= 8
        modes = set(db.session.scalars(sa.select(ClinicalSession.interpreting).distinct()))
        assert modes == {"none", "in_person", "telephone", "video"}
        reasons = set(db.session.scalars(sa.select(Episode.end_reason).distinct()))
        assert "dropout" in reasons
        changed = db.session.scalar(
            sa.select(sa.func.count(sa.distinct(Episode.id)))
            .join(ClinicalSession).where(ClinicalSession.interpreter_id.is_not(None))
            .group_by(Episode.id).having(sa.func.count(sa.distinct(
                ClinicalSession.interpreter_id)) > 1).limit(1))
        assert changed  # at least one episode with an interpreter change



def test_demo_command_works_from_a_bare_environment(tmp_path, monkeypatch):
    """The README's first command: no SECRET_KEY, no mode set, an empty instance."""
    from click.testing import CliRunner

    from interpreter_support import cli

    for name in ("INTERPRETER_SUPPORT_ENV", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INTERPRETER_SUPPORT_INSTANCE", str(tmp_path / "instance"))
    served = []
    monkeypatch.setattr("werkzeug.serving.run_simple",
                        lambda host, port, app, **options: served.append((host, port)))
    result = CliRunner().invoke(cli.main, ["demo", "--port", "5099", "--clients", "6"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.example" in result.output
    assert "http://127.0.0.1:5099/" in result.output
    assert served == [("127.0.0.1", 5099)]
    again = CliRunner().invoke(cli.main, ["demo", "--port", "5099", "--clients", "6"])
    assert again.exit_code == 0 and "already present" in again.output


def test_demo_answers_are_recorded_as_a_real_submit_records_them(app):
    """The seeder shares the submit path's wording record and scoring: every demo
    administration carries the real wording hash, and its stored scores are what scoring
    its stored answers gives."""
    from interpreter_support.instruments.model import wording_hash
    from interpreter_support.instruments.scoring import score
    from interpreter_support.instruments.store import definition_of
    from interpreter_support.models import Administration

    assert run_cli(app, "seed-demo", "--clients", "12").exit_code == 0
    with app.app_context():
        administrations = db.session.scalars(sa.select(Administration)).all()
        assert administrations
        for administration in administrations:
            defn = definition_of(administration.instrument_version)
            assert administration.wording_hash == wording_hash(defn, administration.language)
            answers = {answer.link_id: answer.value for answer in administration.answers}
            expected = score(defn, answers, administration.interpreter_present).total
            stored = {row.name: row for row in administration.scores}["total"]
            assert (stored.value, stored.n_answered) == (expected.value, expected.n_answered)
