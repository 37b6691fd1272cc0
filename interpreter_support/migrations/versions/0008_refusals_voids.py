"""administrations: declined and voided outcomes; response_links.revoked_at

Revision ID: 0008_refusals_voids
Revises: 0005_session_version
Create Date: 2026-12-04 21:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_refusals_voids'
down_revision = '0010_translator_role'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('administrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('voided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_administrations_voided_by_id_users'),
                                    'users', ['voided_by_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_administrations_declined_or_completed'),
                                         'declined_at IS NULL OR completed_at IS NULL')
        batch_op.create_check_constraint(batch_op.f('ck_administrations_void_has_reason'),
                                         '(voided_at IS NULL) = (void_reason IS NULL)')
    with op.batch_alter_table('response_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('response_links', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('administrations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_administrations_void_has_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_administrations_declined_or_completed'),
                                 type_='check')
        batch_op.drop_constraint(batch_op.f('fk_administrations_voided_by_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by_id')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('declined_at')
