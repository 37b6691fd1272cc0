import pytest
from app_support import run_cli

from interpreter_support.extensions import db
from interpreter_support.models import Client, User


@pytest.fixture
def demo(app):
    """A small demo clinic (30 clients, answered questionnaires) and its evaluator."""
    result = run_cli(app, "seed-demo", "--clients", "30", "--seed", "3")
    assert result.exit_code == 0, result.output
    with app.app_context():
        codes = [code for (code,) in db.session.query(Client.code)]
        evaluator = db.session.query(User).filter_by(role="evaluator").one().id
    return {"codes": codes, "evaluator": evaluator}


@pytest.fixture
def evaluator(demo, client):
    response = client.post("/login", data={"email": "evaluator@demo.example",
                                           "password": "demo-password"})
    assert response.status_code == 302
    return client
