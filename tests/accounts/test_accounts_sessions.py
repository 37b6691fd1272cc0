"""Sessions that can be ended: signing out, and an admin's change of a password, role,
clinics or status, end every session of that user (each browser keeps its own cookie)."""

import pytest
from app_support import sign_in

from interpreter_support.extensions import db
from interpreter_support.models import User


@pytest.fixture
def staff(build):
    site, other = build.site(), build.site()
    return {"site": site, "other": other, "admin": build.user("admin", site, other),
            "clinician": build.user("clinician", site, email="c@example.org")}


def _browser(app, email: str):
    browser = app.test_client()
    assert sign_in(browser, email).status_code == 302
    assert browser.get("/clinic/").status_code == 200
    return browser


def _signed_out(browser) -> bool:
    response = browser.get("/clinic/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_signing_out_ends_the_users_sessions_on_every_device(app):
    from app_support import Builder

    build = Builder(app)
    build.user("clinician", build.site(), email="c@example.org")
    phone, desk = _browser(app, "c@example.org"), _browser(app, "c@example.org")
    stolen_cookie = desk.get_cookie("session").value
    phone.post("/logout")
    assert _signed_out(phone) and _signed_out(desk)
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie)
    assert _signed_out(replay)
    assert _browser(app, "c@example.org")  # signing in again works


def _user_form(app, user_id: int, **changes) -> dict:
    with app.app_context():
        user = db.session.get(User, user_id)
        data = {"email": user.email, "display_name": user.display_name, "role": user.role,
                "site_ids": [str(s) for s in sorted(user.site_ids)], "password": "",
                "active": "y"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("change", [
    {"password": "a brand new long password"},
    {"role": "evaluator"},
    {"site_ids": "both"},
    {"active": None},
])
def test_an_admins_change_ends_the_accounts_sessions(app, staff, login, change):
    victim = _browser(app, "c@example.org")
    if change.get("site_ids") == "both":
        change = {"site_ids": [str(staff["site"]), str(staff["other"])]}
    admin = login(staff["admin"])
    response = admin.post(f"/admin/users/{staff['clinician']}",
                          data=_user_form(app, staff["clinician"], **change))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _signed_out(victim)


def test_a_change_of_name_only_keeps_the_session(app, staff, login):
    kept = _browser(app, "c@example.org")
    admin = login(staff["admin"])
    response = admin.post(f"/admin/users/{staff['clinician']}",
                          data=_user_form(app, staff["clinician"], display_name="Renamed"))
    assert response.status_code == 302
    assert kept.get("/clinic/").status_code == 200


def test_a_forged_session_id_is_anonymous(app, staff):
    browser = app.test_client()
    with browser.session_transaction() as cookie:
        cookie["_user_id"] = str(staff["clinician"])  # the old format, without a version
    assert _signed_out(browser)
