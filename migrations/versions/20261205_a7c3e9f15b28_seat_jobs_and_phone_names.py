"""seat jobs: table rounds seated in the background with progress; names people give on
their phone when choosing topics

Revision ID: a7c3e9f15b28
Revises: 5e7a1c0d9b31
Create Date: 2026-12-05 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9f15b28'
down_revision = '5e7a1c0d9b31'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status IN ('queued', 'running')")


def upgrade():
    op.create_table('seat_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('latecomers', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('time_limit', sa.Double(), nullable=False),
    sa.Column('progress', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), server_default='', nullable=False),
    sa.Column('stop_requested', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('language', sa.String(length=2), server_default='de', nullable=False),
    sa.Column('moved', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed', 'stopped')", name=op.f('ck_seat_job_status')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_seat_job_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_job'))
    )
    with op.batch_alter_table('seat_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_job_event_id'), ['event_id'], unique=False)
        batch_op.create_index('uq_seat_job_active_event', ['event_id'], unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)
    op.create_table('phone_name',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_phone_name_ballot_id_ballot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ballot_id', name=op.f('pk_phone_name'))
    )


def downgrade():
    op.drop_table('phone_name')
    with op.batch_alter_table('seat_job', schema=None) as batch_op:
        batch_op.drop_index('uq_seat_job_active_event', sqlite_where=ACTIVE, postgresql_where=ACTIVE)
        batch_op.drop_index(batch_op.f('ix_seat_job_event_id'))
    op.drop_table('seat_job')
