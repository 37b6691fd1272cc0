"""audit_events: a hash chain (seq, prev_hash, hash) and triggers that refuse UPDATE and
DELETE on PostgreSQL and SQLite

Existing events are chained in id order before the triggers exist. The hash is computed
by interpreter_support.models.audit.chain_hash, whose canonical form is named in every
hash (CHAIN_FORMAT): a different form would be a new name, never a change to this one.

Revision ID: 0006_audit_chain
Revises: 0005_session_version
Create Date: 2026-12-04 21:20:00

"""
from alembic import op
import sqlalchemy as sa

from interpreter_support.models.audit import GENESIS, chain_hash
from interpreter_support.models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = '0006_audit_chain'
down_revision = '0005_session_version'
branch_labels = None
depends_on = None

REFUSED = "audit_events is append-only"

POSTGRESQL_UP = [
    f"""CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{REFUSED}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER audit_events_no_truncate ON audit_events",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "DROP FUNCTION audit_events_refuse_change()",
]
SQLITE_UP = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}: UPDATE refused'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}: DELETE refused'); END",
]
SQLITE_DOWN = ["DROP TRIGGER audit_events_no_delete", "DROP TRIGGER audit_events_no_update"]

EVENTS = sa.table(
    'audit_events', sa.column('id', sa.Integer()), sa.column('at', UTCDateTime()),
    sa.column('user_id', sa.Integer()), sa.column('action', sa.String()),
    sa.column('object_type', sa.String()), sa.column('object_id', sa.Integer()),
    sa.column('site_id', sa.Integer()), sa.column('remote_addr', sa.String()),
    sa.column('seq', sa.Integer()), sa.column('prev_hash', sa.String()),
    sa.column('hash', sa.String()),
)


def _chain_existing_events() -> None:
    connection = op.get_bind()
    previous = GENESIS
    rows = connection.execute(sa.select(EVENTS).order_by(EVENTS.c.id)).mappings().all()
    for seq, row in enumerate(rows, start=1):
        fields = {**row, 'seq': seq, 'prev_hash': previous}
        digest = chain_hash(fields)
        connection.execute(EVENTS.update().where(EVENTS.c.id == row['id'])
                           .values(seq=seq, prev_hash=previous, hash=digest))
        previous = digest


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
    for statement in POSTGRESQL_UP if op.get_bind().dialect.name == 'postgresql' else SQLITE_UP:
        op.execute(statement)


def downgrade():
    for statement in (POSTGRESQL_DOWN if op.get_bind().dialect.name == 'postgresql'
                      else SQLITE_DOWN):
        op.execute(statement)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
