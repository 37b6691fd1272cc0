"""users.session_version: signing out, a password, role or site change and deactivation
end every session of that user

Revision ID: 0005_session_version
Revises: 0004_audit_log
Create Date: 2026-12-04 21:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_session_version'
down_revision = '0004_audit_log'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False,
                                      server_default='1'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
