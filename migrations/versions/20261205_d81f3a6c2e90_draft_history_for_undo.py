"""draft history for undo: the draft's earlier documents

Revision ID: d81f3a6c2e90
Revises: c4a9d1e2f7b3
Create Date: 2026-12-05 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd81f3a6c2e90'
down_revision = 'c4a9d1e2f7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('history', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('plan_version', schema=None) as batch_op:
        batch_op.drop_column('history')
