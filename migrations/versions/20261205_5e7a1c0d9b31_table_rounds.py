"""table rounds: an event's topic tables or world café as rounds@1, its seating@1, and the
topics each device chose

Revision ID: 5e7a1c0d9b31
Revises: c4d1e7a2b913
Create Date: 2026-12-05 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7a1c0d9b31'
down_revision = 'c4d1e7a2b913'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('table_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('seating', sa.JSON(), nullable=True),
    sa.Column('video_links', sa.JSON(), server_default='{}', nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_table_rounds_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_table_rounds')),
    sa.UniqueConstraint('event_id', name=op.f('uq_table_rounds_event_id'))
    )
    op.create_table('topic_choice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_topic_choice_rank_positive')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_topic_choice_ballot_id_ballot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_choice')),
    sa.UniqueConstraint('ballot_id', 'topic', name='uq_topic_choice_ballot_topic')
    )
    with op.batch_alter_table('topic_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_choice_ballot_id'), ['ballot_id'], unique=False)


def downgrade():
    with op.batch_alter_table('topic_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_choice_ballot_id'))
    op.drop_table('topic_choice')
    op.drop_table('table_rounds')
