"""calendar feed keys for ballots: a random key, not the row id, in a personal feed's address

Revision ID: 61e373ac74fe
Revises: 8f58afe18a19
Create Date: 2026-11-24 00:45:12.118204

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '61e373ac74fe'
down_revision = '8f58afe18a19'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable at first: the ballots that exist get their keys below, then the rules apply.
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feed_key', sa.String(length=32), nullable=True))

    _give_every_ballot_a_feed_key()

    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.alter_column('feed_key', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint('uq_ballot_event_feed_key', ['event_id', 'feed_key'])


def _give_every_ballot_a_feed_key():
    """A random key per ballot, made here (as models.new_feed_key does): no SQL function
    makes one on both SQLite and PostgreSQL, and a key must not be derived from the row."""
    ballot = sa.table('ballot', sa.column('id', sa.Integer), sa.column('feed_key', sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(ballot.c.id)).scalars().all()
    if not ids:
        return
    connection.execute(
        ballot.update()
        .where(ballot.c.id == sa.bindparam('ballot_id'))
        .values(feed_key=sa.bindparam('new_key')),
        [{'ballot_id': ballot_id, 'new_key': secrets.token_urlsafe(16)} for ballot_id in ids],
    )


def downgrade():
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ballot_event_feed_key', type_='unique')
        batch_op.drop_column('feed_key')
