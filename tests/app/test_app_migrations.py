"""The Alembic head matches the models, and every revision upgrades and downgrades."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from interpreter_support.extensions import db
from interpreter_support.models import Base


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_head_matches_the_models(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_and_upgrade_again(app_ctx):
    db.session.remove()
    try:
        downgrade(revision="base")
        assert _tables() == set()
    finally:
        upgrade()
    assert _tables() == set(Base.metadata.tables)
