"""A clinic with a client, an interpreted session and the staff around it."""

import pytest

from interpreter_support.extensions import db
from interpreter_support.models import Administration, Answer, Interpreter, ScoreRow


@pytest.fixture
def clinic(build, app):
    site = build.site()
    clinician = build.user("clinician", site, email="clin@example.org")
    interpreter_user = build.user("interpreter", site, email="interp@example.org")
    interpreter = build.interpreter(site, languages=("ar", "en", "fa"))
    with app.app_context():
        db.session.get(Interpreter, interpreter).user_id = interpreter_user
        db.session.commit()
    client = build.client(site, language="ar")
    episode = build.episode(client)
    return {
        "site": site, "clinician": clinician, "interpreter_user": interpreter_user,
        "client": client, "episode": episode,
        "interpreted": build.session(episode, clinician, 1, "telephone", interpreter),
        "concordant": build.session(episode, clinician, 2, language="ar"),
    }


@pytest.fixture
def stored(app):
    """Counts of what a questionnaire stores, to prove refusals store nothing."""
    def counts():
        with app.app_context():
            return {model.__tablename__: db.session.query(model).count()
                    for model in (Administration, Answer, ScoreRow)}
    return counts

