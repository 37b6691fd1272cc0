"""The translator role, the languages assigned to each translator, and history entries
that keep the text before the change and the editor's reason

Revision ID: 0010_translator_role
Revises: 0005_session_version
Create Date: 2026-12-04 21:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_translator_role'
down_revision = '0009_interpreter_side'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin', 'clinician', 'interpreter', 'evaluator')"
NEW_ROLES = "role IN ('admin', 'clinician', 'interpreter', 'evaluator', 'translator')"


def _roles(check: str) -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_role_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_role_known'), check)


def upgrade():
    _roles(NEW_ROLES)
    op.create_table('translator_languages',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_translator_languages_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'language', name=op.f('pk_translator_languages'))
    )
    with op.batch_alter_table('instrument_text_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.String(length=500), nullable=True))


def downgrade():
    translators = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM users WHERE role = 'translator'"))
    if translators:  # no older role is theirs: an admin decides what each account becomes
        raise RuntimeError(f"{translators} accounts have the translator role; give them "
                           "another role or remove them before downgrading")
    with op.batch_alter_table('instrument_text_history', schema=None) as batch_op:
        batch_op.drop_column('reason')
        batch_op.drop_column('previous_text')
    op.drop_table('translator_languages')
    _roles(OLD_ROLES)
