"""The app's database for the run: created, seeded, links issued, checked."""

from __future__ import annotations

import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from load.settings import INSTRUMENT


@dataclass(frozen=True)
class Link:
    token: str
    link_id: int
    client_id: int

    @property
    def path(self) -> str:
        return f"/r/{self.token}"


class Database:
    """One backend's database, set up through the app's own CLI and functions."""

    def __init__(self, backend: str, workdir: Path, pg_url: str):
        self.backend = backend
        self.instance = workdir / f"instance-{backend}"
        if backend == "sqlite":
            self.url = f"sqlite:///{workdir / 'load.sqlite3'}"
        else:
            self.url = pg_url
            self._recreate_postgres_database()
        self.env = {**os.environ, "INTERPRETER_SUPPORT_ENV": "production",
                    "SECRET_KEY": secrets.token_urlsafe(48), "DATABASE_URL": self.url,
                    "INTERPRETER_SUPPORT_INSTANCE": str(self.instance),
                    "ALLOW_DRAFT_TRANSLATIONS": "1"}
        self._app = None

    def _recreate_postgres_database(self, create: bool = True) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if url.database in (None, "test", "postgres", "template0", "template1"):
            sys.exit(f"--pg-url must name a database of its own, not {url.database!r}")
        admin = url.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(hide_password=False),
                             autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
            if create:
                connection.execute(f'CREATE DATABASE "{url.database}"')

    def drop(self) -> None:
        """Remove what the run made (the SQLite file goes with the work folder)."""
        if self.backend == "postgresql":
            self._recreate_postgres_database(create=False)

    def prepare(self, clients: int) -> None:
        """Build the schema with the migrations and add the demo clinic (its CLI command)."""
        from flask_migrate import upgrade

        def build() -> None:
            upgrade()
            seeded = self.app.test_cli_runner().invoke(args=["seed-demo", "--clients",
                                                             str(clients)])
            if seeded.exit_code != 0:
                raise RuntimeError(f"seed-demo failed: {seeded.output}")

        self.query(build)

    @property
    def app(self):
        if self._app is None:
            from interpreter_support import create_app
            from interpreter_support.config import Config

            self._app = create_app(Config.from_env(
                mode="production", secret_key=self.env["SECRET_KEY"], database_url=self.url,
                instance_path=str(self.instance), allow_draft_translations=True))
        return self._app

    def query(self, function, *args):
        """Run `function(*args)` in an app context and release every connection after."""
        from interpreter_support.extensions import db

        with self.app.app_context():
            try:
                return function(*args)
            finally:
                db.session.remove()
                db.engine.dispose()

    def client_ids(self) -> list[int]:
        import sqlalchemy as sa

        from interpreter_support.extensions import db
        from interpreter_support.models import Client

        return self.query(lambda: list(db.session.scalars(sa.select(Client.id)
                                                          .order_by(Client.id))))

    def issue_links(self, client_ids: list[int]) -> list[Link]:
        return self.query(_issue_links, client_ids)

    def last_administration_id(self) -> int:
        import sqlalchemy as sa

        from interpreter_support.extensions import db
        from interpreter_support.models import Administration

        return self.query(lambda: db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Administration.id), 0))))


def _issue_links(client_ids: list[int]) -> list[Link]:
    from interpreter_support.extensions import db
    from interpreter_support.instruments.store import version_by_instrument
    from interpreter_support.models import Client
    from interpreter_support.questionnaires.links import issue_link

    version = version_by_instrument(INSTRUMENT)
    issued = [(issue_link(db.session.get(Client, cid), version, expiry_days=7), cid)
              for cid in client_ids]
    db.session.commit()
    return [Link(token, row.id, cid) for (token, row), cid in issued]


def _stored(mark: int, client_ids: set[int]) -> list[dict]:
    """The administrations started after `mark` for these clients, with answers and scores."""
    import sqlalchemy as sa
    from sqlalchemy.orm import selectinload

    from interpreter_support.extensions import db
    from interpreter_support.models import Administration, ResponseLink

    rows = db.session.scalars(
        sa.select(Administration).where(Administration.id > mark)
        .options(selectinload(Administration.answers), selectinload(Administration.scores)))
    linked = dict(db.session.execute(sa.select(ResponseLink.administration_id, ResponseLink.id)
                                     .where(ResponseLink.administration_id > mark)).all())
    return [{"id": a.id, "client_id": a.client_id, "complete": a.is_complete,
             "link_id": linked.get(a.id), "scores": {s.name for s in a.scores},
             "answers": {x.link_id: str(x.value) for x in a.answers}}
            for a in rows if a.client_id in client_ids]
