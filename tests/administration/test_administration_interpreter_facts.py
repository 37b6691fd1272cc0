"""Briefing, debrief and flags recorded from the interpreter's side: only by the session's
interpreter, only while the episode is open, and nothing stored from bad input."""

from datetime import UTC, date, datetime

import pytest
from app_support import sign_in

from interpreter_support.extensions import db
from interpreter_support.models import Episode, InterpreterSessionFact

AR_NOTE = "طلب مني العميل ألا أكرر ما قاله عن أخيه"


def _facts(app) -> list[InterpreterSessionFact]:
    with app.app_context():
        return db.session.query(InterpreterSessionFact).order_by(InterpreterSessionFact.id).all()


def _meeting(**changes) -> dict[str, str]:
    return {"meeting-kind": "briefing", "meeting-held_at": "2026-01-06T09:45",
            "meeting-minutes": "10", "meeting-note": "First person; no side conversations.",
            **changes}


def test_the_interpreter_records_a_briefing_from_their_side(app, clinic, client):
    sign_in(client, "interp@example.org")
    url = f"/interpreter/sessions/{clinic['interpreted']}"
    assert client.post(f"{url}/meetings", data=_meeting()).status_code == 302
    debrief_only = _meeting(**{"meeting-kind": "debrief", "meeting-held_at": "",
                               "meeting-minutes": ""})
    assert client.post(f"{url}/meetings", data=debrief_only).status_code == 302
    briefing, debrief = _facts(app)
    assert (briefing.kind, briefing.minutes, briefing.flag) == ("briefing", 10, None)
    assert briefing.held_at == datetime(2026, 1, 6, 9, 45, tzinfo=UTC)
    assert briefing.recorded_by_id == clinic["interpreter_user"]
    assert (debrief.kind, debrief.held_at, debrief.minutes) == ("debrief", None, None)
    page = client.get(url).get_data(as_text=True)
    assert "First person; no side conversations." in page and "10 minutes" in page


def test_a_flag_with_an_arabic_note(app, clinic, client):
    sign_in(client, "interp@example.org")
    url = f"/interpreter/sessions/{clinic['interpreted']}"
    response = client.post(f"{url}/flags", data={"flag-flag": "asked_not_to_repeat",
                                                 "flag-note": AR_NOTE})
    assert response.status_code == 302
    [flag] = _facts(app)
    assert (flag.kind, flag.flag, flag.note) == ("flag", "asked_not_to_repeat", AR_NOTE)
    page = client.get(url).get_data(as_text=True)
    assert f'<span dir="auto">{AR_NOTE}</span>' in page
    assert "The client asked me not to repeat something" in page


@pytest.mark.parametrize(("path", "data", "message"), [
    ("meetings", _meeting(**{"meeting-minutes": "-5"}), "between 0 and 240"),
    ("meetings", _meeting(**{"meeting-minutes": "999"}), "between 0 and 240"),
    ("meetings", _meeting(**{"meeting-minutes": "ten"}), "Not a valid integer value"),
    ("meetings", _meeting(**{"meeting-kind": "lunch"}), "Not a valid choice"),
    ("meetings", _meeting(**{"meeting-held_at": "yesterday"}), "Not a valid datetime value"),
    ("meetings", _meeting(**{"meeting-note": "x" * 1001}), "1000"),
    ("flags", {"flag-flag": "gossip"}, "Not a valid choice"),
    ("flags", {"flag-note": "no reason"}, "This field is required"),
    ("flags", {"flag-flag": "other", "flag-note": "reordered \u202etext"},
     "direction-changing characters"),
])
def test_bad_input_is_refused_with_nothing_stored(app, clinic, client, path, data, message):
    sign_in(client, "interp@example.org")
    response = client.post(f"/interpreter/sessions/{clinic['interpreted']}/{path}", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _facts(app) == []


def test_only_the_sessions_interpreter_records(app, build, clinic, client):
    other = build.user("interpreter", clinic["site"], email="other@example.org")
    build.interpreter(clinic["site"], user_id=other)
    url = f"/interpreter/sessions/{clinic['interpreted']}"
    sign_in(client, "other@example.org")
    assert client.post(f"{url}/meetings", data=_meeting()).status_code == 404
    assert client.post(f"{url}/flags", data={"flag-flag": "other"}).status_code == 404
    client.post("/logout")
    sign_in(client, "clin@example.org")
    assert client.post(f"{url}/flags", data={"flag-flag": "other"}).status_code == 403
    assert client.get(url).status_code == 403
    assert _facts(app) == []


def test_nothing_is_recorded_once_the_episode_has_ended(app, clinic, client):
    with app.app_context():
        episode = db.session.get(Episode, clinic["episode"])
        episode.ended_on, episode.end_reason = date(2026, 3, 1), "completed"
        db.session.commit()
    sign_in(client, "interp@example.org")
    url = f"/interpreter/sessions/{clinic['interpreted']}"
    response = client.post(f"{url}/flags", data={"flag-flag": "other"})
    assert response.status_code == 409
    assert "This episode of care has ended" in response.get_data(as_text=True)
    assert client.post(f"{url}/meetings", data=_meeting()).status_code == 409
    assert _facts(app) == []
    assert "Flag this session" not in client.get(url).get_data(as_text=True)
