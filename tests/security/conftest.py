"""Fixtures of the security tests: one world per module, and the permission walk's cases.

The root `app` fixture empties every table for each test; these modules build their world
once (`world_app`, `world`) so that hundreds of requests stay fast. Tests here must not use
`app`, `build` or `login`: those would empty the world's tables. The world itself, and the
documented mapping from URL parameter names to world objects (URL_PARAMETERS), are in
security_world.py.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from app_support import empty_tables, empty_tables_but_shipped, make_config
from flask import Flask
from security_world import (
    PRINCIPALS,
    World,
    build_world,
    check_tables_covered,
    parameter_objects,
)

from interpreter_support import create_app
from interpreter_support.extensions import db

IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})


@pytest.fixture(scope="module")
def world_app(migrated_database: str, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[Flask]:
    app = create_app(make_config(migrated_database, str(tmp_path_factory.mktemp("instance"))))
    with app.app_context():
        empty_tables_but_shipped()
    yield app
    with app.app_context():
        empty_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def world(world_app: Flask) -> World:
    check_tables_covered(world_app)
    return build_world(world_app)


@dataclass(frozen=True)
class RouteRule:
    endpoint: str
    rule: str
    methods: frozenset[str]
    arguments: frozenset[str]

    @property
    def method(self) -> str:
        """GET where the rule has it, else its one other method (POST for form targets)."""
        methods = self.methods - IGNORED_METHODS
        return "GET" if "GET" in methods else sorted(methods)[0]


@dataclass(frozen=True)
class WalkCase:
    route: RouteRule
    objects: tuple[tuple[str, str | None], ...]  # (parameter, world object or None: unknown)
    principal: str

    @property
    def id(self) -> str:
        variant = ",".join(
            str(name) for parameter, name in self.objects
            if len(parameter_objects(self.route.endpoint, parameter) or ()) > 1)
        return f"{self.route.endpoint}{f'[{variant}]' if variant else ''}-{self.principal}"


def route_rules() -> list[RouteRule]:
    """The URL map of a freshly built app (no database is touched)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(make_config(f"sqlite:///{folder}/unused.sqlite3", folder))
        rules = [RouteRule(rule.endpoint, rule.rule, frozenset(rule.methods or ()),
                           frozenset(rule.arguments)) for rule in app.url_map.iter_rules()]
        with app.app_context():
            db.engine.dispose()
    return rules


def walk_cases() -> list[WalkCase]:
    """Every rule x every way to fill its parameters x every principal."""
    cases = []
    for route in sorted(route_rules(), key=lambda r: (r.endpoint, r.rule)):
        parameters = sorted(route.arguments)
        choices = [parameter_objects(route.endpoint, name) or (None,) for name in parameters]
        for objects in itertools.product(*choices):
            cases += [WalkCase(route, tuple(zip(parameters, objects, strict=True)), principal)
                      for principal in PRINCIPALS]
    return cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "walk_case" in metafunc.fixturenames:
        cases = walk_cases()
        metafunc.parametrize("walk_case", cases, ids=[case.id for case in cases])
