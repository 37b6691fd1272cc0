"""administrations.read_by_interpreter_id and recorded_by_id; interpreter_session_facts:
briefings, debriefs and flags the interpreter records from their side

Revision ID: 0009_interpreter_side
Revises: 0005_session_version
Create Date: 2026-12-04 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_interpreter_side'
down_revision = '0006_audit_chain'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('administrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_by_interpreter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_administrations_read_by_interpreter_id_interpreters'),
            'interpreters', ['read_by_interpreter_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_administrations_recorded_by_id_users'),
                                    'users', ['recorded_by_id'], ['id'])

    op.create_table('interpreter_session_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinical_session_id', sa.Integer(), nullable=False),
    sa.Column('interpreter_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('flag', sa.String(length=32), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('briefing', 'debrief', 'flag')",
                       name=op.f('ck_interpreter_session_facts_kind_known')),
    sa.CheckConstraint("flag IS NULL OR flag IN ('asked_not_to_repeat', 'knows_client', "
                       "'asked_to_take_sides', 'distressing_content', 'language_mismatch', "
                       "'poor_connection', 'other')",
                       name=op.f('ck_interpreter_session_facts_flag_known')),
    sa.CheckConstraint("(kind = 'flag') = (flag IS NOT NULL)",
                       name=op.f('ck_interpreter_session_facts_flag_iff_flagged')),
    sa.CheckConstraint('minutes IS NULL OR minutes BETWEEN 0 AND 240',
                       name=op.f('ck_interpreter_session_facts_minutes_plausible')),
    sa.ForeignKeyConstraint(['clinical_session_id'], ['clinical_sessions.id'],
                            name=op.f('fk_interpreter_session_facts_clinical_session_id_clinical_sessions'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interpreter_id'], ['interpreters.id'],
                            name=op.f('fk_interpreter_session_facts_interpreter_id_interpreters')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'],
                            name=op.f('fk_interpreter_session_facts_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interpreter_session_facts'))
    )
    with op.batch_alter_table('interpreter_session_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interpreter_session_facts_clinical_session_id'),
                              ['clinical_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interpreter_session_facts_interpreter_id'),
                              ['interpreter_id'], unique=False)


def downgrade():
    with op.batch_alter_table('interpreter_session_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interpreter_session_facts_interpreter_id'))
        batch_op.drop_index(batch_op.f('ix_interpreter_session_facts_clinical_session_id'))
    op.drop_table('interpreter_session_facts')
    with op.batch_alter_table('administrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_administrations_recorded_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_administrations_read_by_interpreter_id_interpreters'),
            type_='foreignkey')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('read_by_interpreter_id')
