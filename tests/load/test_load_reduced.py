"""The load and fault script, reduced: 30 clients at once on SQLite under gunicorn with two
workers, then 30 more while one worker is killed with SIGKILL. Invariants only, no timings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from interpreter_support.models import Administration, Answer, ScoreRow

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "loadtest.py"
CLIENTS = 30
EVERY_CLIENT_ONCE = ("not_done", "completed_none", "completed_more_than_once",
                     "completed_unlinked", "link_not_pointing_at_completed")
NOTHING_HALF_WRITTEN = ("completed_without_total_score", "clients_with_lost_answers",
                        "answers_lost", "truncated_posts_accepted")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("load")
    result_path = folder / "result.json"
    finished = subprocess.run(
        [sys.executable, str(SCRIPT), "--backend", "sqlite", "--clients", str(CLIENTS),
         "--workers", "2", "--kills", "1", "--no-bench", "--preload",
         "--keep", str(folder / "work"), "--json", str(result_path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result_path.exists(), finished.stderr[-4000:]
    return json.loads(result_path.read_text())["sqlite"], folder / "work" / "load.sqlite3"


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["concurrent", "kill"])
def test_every_client_completes_exactly_once_with_every_answer(run, phase: str) -> None:
    result = run[0][phase]
    assert result["clients"] == CLIENTS
    for invariant in (*EVERY_CLIENT_ONCE, *NOTHING_HALF_WRITTEN, "responses_5xx"):
        assert result[invariant] == 0, (invariant, result)


@pytest.mark.slow
def test_the_faults_really_happened(run) -> None:
    concurrent, kill = run[0]["concurrent"], run[0]["kill"]
    assert concurrent["partial_posts"] > 0 and concurrent["double_submits"] > 0
    assert kill["double_submits"] > 0
    assert len(kill["killed_workers"]) == 1 and kill["killed_workers"][0] is not None
    assert kill["no_response"] > 0  # the kill cut submits short (they are never retried)


@pytest.mark.slow
def test_the_database_agrees(run) -> None:
    """Read the database file directly: every completed link administration has answers
    and a total score, and no client has more than one."""
    done = (sa.select(Administration.id, Administration.client_id)
            .where(Administration.channel == "link", Administration.completed_at.is_not(None))
            .subquery())
    answered = sa.exists().where(Answer.administration_id == done.c.id)
    totalled = sa.exists().where(ScoreRow.administration_id == done.c.id,
                                 ScoreRow.name == "total")
    count = sa.select(sa.func.count()).select_from(done)
    engine = sa.create_engine(f"sqlite:///{run[1]}", poolclass=NullPool)
    with engine.connect() as connection:
        per_client = connection.execute(
            sa.select(done.c.client_id, sa.func.count()).group_by(done.c.client_id)).all()
        without_answers = connection.scalar(count.where(~answered))
        without_total = connection.scalar(count.where(~totalled))
    engine.dispose()
    assert len(per_client) == 2 * CLIENTS
    assert all(count == 1 for _, count in per_client)
    assert without_answers == 0 and without_total == 0
