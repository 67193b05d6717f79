"""rate counts shared by web processes: new ballots per address, where no Redis is configured

Revision ID: c4d1e7a2b913
Revises: 61e373ac74fe
Create Date: 2026-12-05 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d1e7a2b913'
down_revision = '61e373ac74fe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rate_count',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_count')),
    )
    with op.batch_alter_table('rate_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_count_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_count_expires_at'))
    op.drop_table('rate_count')
