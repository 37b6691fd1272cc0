"""Simultaneous submits of the same questionnaire store exactly one administration."""

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from administration_support import full_answers

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Answer


def test_parallel_submits_of_one_link_store_once(app, clinic):
    from test_administration_links import _code, issue

    path = issue(app, "--client", _code(app, clinic["client"]), "--instrument",
                 "alliance-client", "--session", str(clinic["interpreted"]))
    app.test_client().get(path)  # opened once, as a client would

    def submit(value: str) -> int:
        return app.test_client().post(path, data={"language": "ar",
                                                  **full_answers(value)}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(submit, ["1", "2", "3", "4", "5"] * 4))
    assert all(status in (200, 410) for status in statuses), statuses
    assert statuses.count(200) >= 1
    with app.app_context():
        administrations = db.session.scalars(sa.select(Administration)).all()
        assert len(administrations) == 1 and administrations[0].is_complete
        values = {answer.value for answer in db.session.scalars(sa.select(Answer))}
        assert len(values) == 1  # all answers come from one submission
        assert db.session.query(Answer).count() == 10
