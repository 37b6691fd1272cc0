"""The permission walk: every rule of the URL map, sent by every kind of visitor.

The cases are generated from the app's URL map (see conftest.py), so a new route is walked
as soon as it exists. Each principal sends one request per rule: GET where the rule has it,
else its other method with an empty form. Principals that ROUTE_PERMISSIONS lists for the
endpoint must get through the permission layer; all others are refused (403, or the sign-in
page for an anonymous visitor on a staff page). Site B's clinician asks for site A's
records and must get 404. No request may fail with a server error or show a client code to
someone who must not see it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import Response
from security_world import (
    CLIENT_CODES,
    PRINCIPALS,
    SITE_SCOPED_PARAMETERS,
    STAFF_ACCOUNTS,
    URL_PARAMETERS,
    World,
)

from interpreter_support.permissions import ROUTE_PERMISSIONS, STAFF, Principal

# Who must never see which client codes, whatever the route answers.
MUST_NOT_SEE = {
    "anonymous": tuple(CLIENT_CODES.values()),
    "evaluator": tuple(CLIENT_CODES.values()),  # de-identified data only
    "translator": tuple(CLIENT_CODES.values()),  # instrument texts only
    "clinician_b": tuple(code for name, code in CLIENT_CODES.items() if name != "client_b"),
}


def _endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_route_is_in_the_permission_table(world_app):
    assert sorted(_endpoints(world_app) - set(ROUTE_PERMISSIONS)) == []


def test_the_permission_table_names_only_existing_routes(world_app):
    assert sorted(set(ROUTE_PERMISSIONS) - _endpoints(world_app)) == []


def test_permission_walk(world: World, walk_case):
    route, principal = walk_case.route, walk_case.principal
    allowed = ROUTE_PERMISSIONS.get(route.endpoint)
    if allowed is None:
        pytest.fail(f"{route.endpoint} ({route.rule}) is missing from ROUTE_PERMISSIONS in "
                    "interpreter_support/permissions.py: declare who may reach it")
    response = world.browser(principal).open(
        _path(world, walk_case), method=route.method,
        data={} if route.method != "GET" else None)
    body = response.get_data(as_text=True)
    response.close()  # static files are streamed from an open file
    if route.endpoint == "accounts.logout" and principal in STAFF_ACCOUNTS:
        world.sign_in(principal)
    assert response.status_code < 500
    if PRINCIPALS[principal] in allowed:
        _assert_admitted(response, principal, route.arguments)
    else:
        _assert_refused(response, PRINCIPALS[principal], allowed)
    assert [code for code in MUST_NOT_SEE.get(principal, ()) if code in body] == []


def _path(world: World, case) -> str:
    unknown = [parameter for parameter, name in case.objects if name is None]
    if unknown:
        pytest.fail(f"{case.route.rule} has URL parameter(s) {unknown} the walk cannot fill: "
                    "add each to URL_PARAMETERS in tests/security/security_world.py, naming "
                    f"the world object to use (known: {sorted(URL_PARAMETERS)})")
    return world.fill(case.route.rule, dict(case.objects))


def _assert_admitted(response: Response, principal: str, arguments: frozenset[str]) -> None:
    if principal == "clinician_b" and arguments & SITE_SCOPED_PARAMETERS:
        assert response.status_code == 404  # site A's record, asked for from site B
        return
    assert response.status_code != 403
    if PRINCIPALS[principal] is Principal.ANONYMOUS:
        assert not _sends_to_sign_in(response)


def _assert_refused(response: Response, principal: Principal, allowed: frozenset) -> None:
    if principal is Principal.ANONYMOUS and allowed & STAFF:
        assert _sends_to_sign_in(response), response.status_code
    else:
        assert response.status_code == 403


def _sends_to_sign_in(response: Response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code in (301, 302, 303, 307, 308) and (
        urlsplit(location).path == "/login")
