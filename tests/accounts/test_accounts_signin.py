"""Sign-in: argon2id, rehash on login, throttling, safe redirects, idle expiry."""

from datetime import timedelta

import pytest
from app_support import PASSWORD, sign_in
from argon2 import PasswordHasher

from interpreter_support import security
from interpreter_support.extensions import db
from interpreter_support.models import User
from interpreter_support.models.base import utcnow
from interpreter_support.security import MAX_PASSWORD_LENGTH


@pytest.fixture
def clinician(build):
    return build.user("clinician", build.site(), email="amal@example.org")


def test_sign_in_and_out(client, clinician):
    assert client.get("/clinic/").status_code == 302  # anonymous: sent to sign-in
    response = sign_in(client, "AMAL@example.org ")
    assert response.status_code == 302
    assert client.get("/clinic/").status_code == 200
    client.post("/logout")
    assert client.get("/clinic/").headers["Location"].startswith("/login")


def test_wrong_password_is_refused_without_saying_which_part(client, clinician):
    response = sign_in(client, "amal@example.org", "wrong password")
    assert response.status_code == 200
    assert "The email or password is not right." in response.get_data(as_text=True)
    response = sign_in(client, "nobody@example.org", "wrong password")
    assert "The email or password is not right." in response.get_data(as_text=True)


def test_sign_in_pauses_briefly_after_failures_and_the_pause_grows(client, clinician, app):
    from interpreter_support.accounts.operations import MAX_PAUSE, THROTTLE_AFTER, pause_after

    for _ in range(THROTTLE_AFTER - 1):
        sign_in(client, "amal@example.org", "wrong password")
    assert sign_in(client, "amal@example.org").status_code == 302  # no pause yet
    client.post("/logout")
    for _ in range(THROTTLE_AFTER):
        sign_in(client, "amal@example.org", "wrong password")
    paused = sign_in(client, "amal@example.org")  # the right password, during the pause
    assert paused.status_code == 200
    assert "pauses for a short while" in paused.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, clinician)
        assert user.locked_until - utcnow() <= timedelta(seconds=1)  # seconds, not minutes
        user.locked_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert sign_in(client, "amal@example.org").status_code == 302
    assert [pause_after(n).total_seconds() for n in range(THROTTLE_AFTER, THROTTLE_AFTER + 4)
            ] == [1, 2, 4, 8]
    assert pause_after(60) == MAX_PAUSE


def test_concurrent_wrong_passwords_each_count(app, clinician, other_app):
    """Counted in SQL: two requests that read the count at once still add two."""
    from interpreter_support.accounts.operations import authenticate

    with app.app_context():
        read_by_a = db.session.get(User, clinician)  # worker A has read the row
        assert read_by_a.failed_logins == 0
        with other_app().app_context():  # worker B counts a failure meanwhile
            assert authenticate("amal@example.org", "wrong") is None
            db.session.commit()
        assert authenticate("amal@example.org", "wrong again") is None  # A's copy says 0
        db.session.commit()
    with app.app_context():
        assert db.session.get(User, clinician).failed_logins == 2


def test_the_answer_takes_one_argon2_verification_whatever_the_account(clinician, app,
                                                                      monkeypatch):
    from interpreter_support.accounts import operations

    calls = []
    real = operations.verify_password
    monkeypatch.setattr(operations, "verify_password",
                        lambda hashed, password: calls.append(hashed) or real(hashed, password))
    with app.app_context():
        for email in ("nobody@example.org", "amal@example.org"):
            operations.authenticate(email, "wrong")
        user = db.session.get(User, clinician)
        user.locked_until = utcnow() + timedelta(minutes=1)
        db.session.commit()
        operations.authenticate("amal@example.org", PASSWORD)  # paused
    assert len(calls) == 3


def test_hash_is_upgraded_on_sign_in(client, clinician, app, monkeypatch):
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(security, "_hasher", stronger)
    with app.app_context():
        old_hash = db.session.get(User, clinician).password_hash
    assert stronger.check_needs_rehash(old_hash)
    assert sign_in(client, "amal@example.org").status_code == 302
    with app.app_context():
        new_hash = db.session.get(User, clinician).password_hash
    assert new_hash.startswith("$argon2id$") and new_hash != old_hash
    assert not stronger.check_needs_rehash(new_hash)


def test_overlong_password_is_refused_before_hashing(client, clinician):
    response = sign_in(client, "amal@example.org", "x" * (MAX_PASSWORD_LENGTH + 1))
    assert response.status_code == 200
    assert "Field cannot be longer than" in response.get_data(as_text=True)
    assert not security.verify_password(security.hash_password(PASSWORD), "x" * 500)


@pytest.mark.parametrize("target, expected", [
    ("/clinic/clients", "/clinic/clients"),
    ("https://evil.example/phish", "/"),
    ("//evil.example/phish", "/"),
])
def test_next_only_goes_to_our_own_pages(client, clinician, target, expected):
    response = client.post(f"/login?next={target}",
                           data={"email": "amal@example.org", "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_disabled_account_cannot_sign_in(client, clinician, app):
    with app.app_context():
        db.session.get(User, clinician).is_active_account = False
        db.session.commit()
    assert sign_in(client, "amal@example.org").status_code == 200


def test_staff_session_cookie_expires_when_idle(app, client, clinician):
    assert app.permanent_session_lifetime == timedelta(minutes=30)
    sign_in(client, "amal@example.org")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert cookie.http_only and cookie.same_site == "Lax"


def test_preferences_change_the_staff_language(client, clinician):
    sign_in(client, "amal@example.org")
    response = client.post("/preferences", data={"display_name": "Amal", "locale": "ar"})
    assert response.status_code == 302
    assert '<html lang="ar" dir="rtl">' in client.get("/clinic/").get_data(as_text=True)
