"""Declined questionnaires are an outcome the evaluator counts, by interpreting, with small
cells hidden like every other figure."""

import re

import sqlalchemy as sa
from test_evaluation_page import QUERY

from interpreter_support.extensions import db
from interpreter_support.instruments.store import version_by_instrument
from interpreter_support.models import ClinicalSession
from interpreter_support.questionnaires import administration as admin_ops


def _decline_in(app, interpreting: str, clients: int) -> None:
    """One declined client questionnaire in the first such session of `clients` clients."""
    with app.app_context():
        version = version_by_instrument("alliance-client")
        sessions = db.session.scalars(
            sa.select(ClinicalSession).where(ClinicalSession.interpreting == interpreting)
            .order_by(ClinicalSession.id)).all()
        seen = {}
        for session in sessions:
            seen.setdefault(session.episode.client_id, session)
        for session in list(seen.values())[:clients]:
            administration = admin_ops.start(
                version, session.episode.client, session=session, respondent_role="client",
                language="en", mode="clinician_aloud", channel="staff")
            assert admin_ops.decline(administration)
        db.session.commit()


def _declined_table(page: str) -> str:
    return re.search(r'<table id="declined">.*?</table>', page, re.S)[0]


def test_declines_are_shown_by_interpreting_and_small_cells_hidden(app, evaluator):
    page = evaluator.get("/evaluate/" + QUERY).get_data(as_text=True)
    k = int(re.search(r"Groups of fewer than (\d+) clients", page)[1])
    _decline_in(app, "none", k + 1)
    _decline_in(app, "in_person", k + 2)
    _decline_in(app, "telephone", 1)
    table = _declined_table(evaluator.get("/evaluate/" + QUERY).get_data(as_text=True))
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>(.*?)</td>", table))
    # the single telephone decline is hidden, and so is the next smallest cell, so that
    # no subtraction from a total recovers it
    assert "suppressed" in rows["Interpreter by telephone"]
    assert "suppressed" in rows["No interpreter"]
    assert f'<bdi dir="ltr">{k + 2}</bdi>' in rows["Interpreter in person"]
