"""notices to hosts: a contact address per session, mail on or off per event, what was told

Revision ID: e5b2c7a90d14
Revises: d81f3a6c2e90
Create Date: 2026-12-05 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b2c7a90d14'
down_revision = 'd81f3a6c2e90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('talk', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('contact_email', sa.String(length=254), server_default='', nullable=False)
        )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('mail_notices', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('talk_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('before', sa.String(length=300), nullable=False),
        sa.Column('after', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('mail_status', sa.String(length=16), nullable=False),
        sa.Column('mailed_at', sa.DateTime(), nullable=True),
        sa.Column('mail_error', sa.Text(), server_default='', nullable=False),
        sa.CheckConstraint("kind IN ('moved', 'cancelled')", name=op.f('ck_notice_kind')),
        sa.CheckConstraint(
            "mail_status IN ('none', 'pending', 'sending', 'sent', 'failed')",
            name=op.f('ck_notice_mail_status'),
        ),
        sa.ForeignKeyConstraint(
            ['event_id'], ['event.id'], name=op.f('fk_notice_event_id_event'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['talk_id'], ['talk.id'], name=op.f('fk_notice_talk_id_talk'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
        sa.UniqueConstraint('talk_id', 'version', name='uq_notice_talk_version'),
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_talk_id'), ['talk_id'], unique=False)


def downgrade():
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_talk_id'))
        batch_op.drop_index(batch_op.f('ix_notice_event_id'))
    op.drop_table('notice')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('mail_notices')
    with op.batch_alter_table('talk', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
