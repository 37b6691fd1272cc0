"""Sign-in: argon2id, rehash on login, lockout, safe redirects, idle expiry."""

from datetime import timedelta

import pytest
from app_support import PASSWORD, sign_in
from argon2 import PasswordHasher

from interpreter_support import security
from interpreter_support.extensions import db
from interpreter_support.models import User
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


def test_lockout_after_five_failures_even_with_the_right_password(client, clinician, app):
    for _ in range(5):
        sign_in(client, "amal@example.org", "wrong password")
    assert sign_in(client, "amal@example.org").status_code == 200  # locked
    with app.app_context():
        user = db.session.get(User, clinician)
        user.locked_until -= timedelta(minutes=16)
        db.session.commit()
    assert sign_in(client, "amal@example.org").status_code == 302


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
