"""Roles and sites: who reaches which staff page."""

import pytest

from interpreter_support.permissions import ROUTE_PERMISSIONS


@pytest.fixture
def people(build):
    site, other = build.site(), build.site()
    return {
        "site": site, "other": other,
        "admin": build.user("admin", site),
        "clinician": build.user("clinician", site),
        "interpreter": build.user("interpreter", site),
        "evaluator": build.user("evaluator", site),
    }


@pytest.mark.parametrize("role, path, status", [
    ("clinician", "/clinic/", 200),
    ("clinician", "/admin/", 403),
    ("clinician", "/admin/users", 403),
    ("interpreter", "/clinic/", 403),
    ("interpreter", "/clinic/clients", 403),
    ("evaluator", "/clinic/clients", 403),
    ("evaluator", "/admin/interpreters", 403),
    ("admin", "/admin/users", 200),
    ("admin", "/admin/interpreters", 200),
    ("admin", "/clinic/clients", 200),
])
def test_role_reaches_only_its_pages(people, login, role, path, status):
    assert login(people[role]).get(path).status_code == status


def test_every_route_has_a_declared_permission(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ROUTE_PERMISSIONS) == set()


def test_admin_sees_only_own_sites_records(people, build, login):
    foreign_user = build.user("clinician", people["other"])
    foreign_interpreter = build.interpreter(people["other"])
    web = login(people["admin"])
    assert web.get(f"/admin/users/{foreign_user}").status_code == 404
    assert web.get(f"/admin/interpreters/{foreign_interpreter}").status_code == 404
    assert f"/admin/users/{foreign_user}" not in web.get("/admin/users").get_data(as_text=True)


def test_admin_creates_an_account_with_a_hashed_password(people, login, app, rows):
    web = login(people["admin"])
    response = web.post("/admin/users/new", data={
        "email": "new@example.org", "display_name": "New", "role": "evaluator",
        "site_ids": [str(people["site"])], "password": "long enough password", "active": "y"})
    assert response.status_code == 302
    before = rows()
    response = web.post("/admin/users/new", data={
        "email": "new@example.org", "display_name": "Again", "role": "evaluator",
        "site_ids": [str(people["site"])], "password": "long enough password"})
    assert "already has an account" in response.get_data(as_text=True)
    response = web.post("/admin/users/new", data={
        "email": "short@example.org", "display_name": "Short", "role": "admin",
        "site_ids": [str(people["site"])], "password": "short"})
    assert "Field must be between" in response.get_data(as_text=True)
    response = web.post("/admin/users/new", data={
        "email": "nosite@example.org", "display_name": "No site", "role": "admin",
        "password": "long enough password"})
    assert "Choose at least one clinic." in response.get_data(as_text=True)
    assert rows() == before


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "weak@example.org"])
def test_a_password_that_is_easy_to_guess_is_refused(people, login, rows, password):
    web = login(people["admin"])
    before = rows()
    response = web.post("/admin/users/new", data={
        "email": "weak@example.org", "display_name": "Weak", "role": "clinician",
        "site_ids": [str(people["site"])], "password": password, "active": "y"})
    assert response.status_code == 400
    assert "too easy to guess" in response.get_data(as_text=True)
    assert rows() == before


def test_admin_records_an_interpreter(people, login, rows):
    web = login(people["admin"])
    before = rows()
    response = web.post("/admin/interpreters/new", data={
        "site_id": people["site"], "code": "INT-9", "kind": "professional",
        "languages": ["ar"], "agency": ""})
    assert "at least two languages" in response.get_data(as_text=True)
    assert rows() == before
    response = web.post("/admin/interpreters/new", data={
        "site_id": people["site"], "code": "INT-9", "kind": "professional",
        "languages": ["ar", "en", "fa"], "agency": "Agency"})
    assert response.status_code == 302
    page = web.get("/admin/interpreters").get_data(as_text=True)
    assert "INT-9" in page and "فارسی" in page


ADMIN_SCOPES = {"all": "ABC", "A": "A", "AB": "AB"}
TARGETS = {"clinician A": ("clinician", "A"), "clinician B": ("clinician", "B"),
           "clinician AB": ("clinician", "AB"), "admin A": ("admin", "A"),
           "admin of all": ("admin", "ABC"), "evaluator BC": ("evaluator", "BC")}


def _expected(scope: str, target_sites: str) -> int:
    if not set(target_sites) & set(scope):
        return 404  # not one shared clinic: the account is not shown at all
    return 200 if set(target_sites) <= set(scope) else 403


@pytest.mark.parametrize("scope", ADMIN_SCOPES)
@pytest.mark.parametrize("target", TARGETS)
def test_an_admin_changes_only_accounts_all_of_whose_clinics_it_administers(
        app, build, scope, target):
    from app_support import sign_in

    from interpreter_support.extensions import db
    from interpreter_support.models import User

    sites = {code: build.site(code) for code in "ABC"}
    build.user("admin", *(sites[c] for c in ADMIN_SCOPES[scope]),
                       email="me@example.org")
    role, target_sites = TARGETS[target]
    victim = build.user(role, *(sites[c] for c in target_sites), email="victim@example.org")
    web = app.test_client()
    assert sign_in(web, "me@example.org").status_code == 302
    expected = _expected(ADMIN_SCOPES[scope], target_sites)
    assert web.get(f"/admin/users/{victim}").status_code == expected
    listed = f"/admin/users/{victim}" in web.get("/admin/users").get_data(as_text=True)
    assert listed == (expected == 200)
    takeover = {"email": "attacker@example.org", "display_name": "Taken", "role": "admin",
                "site_ids": [str(sites[c]) for c in ADMIN_SCOPES[scope]],
                "password": "the attacker's new password", "active": "y"}
    response = web.post(f"/admin/users/{victim}", data=takeover)
    with app.app_context():
        after = db.session.get(User, victim)
        changed = after.email == "attacker@example.org"
    assert response.status_code == (302 if expected == 200 else expected)
    assert changed == (expected == 200)


def test_an_admin_cannot_give_a_clinic_it_does_not_administer(app, build):
    from app_support import sign_in

    from interpreter_support.extensions import db
    from interpreter_support.models import User

    mine, theirs = build.site("A"), build.site("B")
    build.user("admin", mine, email="me@example.org")
    clinician = build.user("clinician", mine, email="c@example.org")
    web = app.test_client()
    sign_in(web, "me@example.org")
    response = web.post(f"/admin/users/{clinician}", data={
        "email": "c@example.org", "display_name": "C", "role": "clinician",
        "site_ids": [str(mine), str(theirs)], "password": "", "active": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, clinician).site_ids == {mine}
