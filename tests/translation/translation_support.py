"""Helpers of the translation tests: every stored text and history entry, to prove what a
request changed, and the review form as a browser sends it back."""

import sqlalchemy as sa

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText, InstrumentTextHistory, InstrumentVersion


def all_texts(app) -> dict:
    """Every text of every version and language with its status, back-translation and
    history length, and each version's revision stamp."""
    with app.app_context():
        texts = {(r.instrument_version_id, r.path, r.language):
                 (r.text, r.status, r.back_translation, len(r.history))
                 for r in db.session.scalars(sa.select(InstrumentText))}
        stamps = dict(db.session.execute(
            sa.select(InstrumentVersion.id, InstrumentVersion.texts_stamp)).all())
        history = db.session.scalar(sa.select(sa.func.count(InstrumentTextHistory.id)))
        return {"texts": texts, "stamps": stamps, "history": history}


def language_rows(app, version_id: int, language: str) -> dict[str, InstrumentText]:
    with app.app_context():
        rows = db.session.scalars(sa.select(InstrumentText).where(
            InstrumentText.instrument_version_id == version_id,
            InstrumentText.language == language)).all()
        for row in rows:
            db.session.expunge(row)
        return {row.path: row for row in rows}


def form_as_shown(app, version_id: int, language: str, **changes) -> dict[str, str]:
    """The review form's fields as the page fills them (what a browser posts back when the
    reviewer touches nothing), with `changes` ({field name: value}) applied."""
    data = {}
    for row in language_rows(app, version_id, language).values():
        data |= {f"text-{row.id}": row.text, f"back-{row.id}": row.back_translation or "",
                 f"status-{row.id}": row.status}
    return data | changes
