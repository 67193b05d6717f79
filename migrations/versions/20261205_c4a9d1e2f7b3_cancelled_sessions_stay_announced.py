"""cancelled sessions stay announced: a flag to take a cancelled session off the public plan

Revision ID: c4a9d1e2f7b3
Revises: 61e373ac74fe
Create Date: 2026-12-05 13:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a9d1e2f7b3'
down_revision = '61e373ac74fe'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('talk', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('off_public_plan', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('talk', schema=None) as batch_op:
        batch_op.drop_column('off_public_plan')
