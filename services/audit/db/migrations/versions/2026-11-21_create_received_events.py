"""create received events

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 23:38:07.795108
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('topic_suffix', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('correlation_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_unpublished', ['id'], unique=False, postgresql_where=sa.text('published_at IS NULL'))

    op.create_table('processed_events',
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('consumer', sa.String(length=64), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', 'consumer', name=op.f('pk_processed_events'))
    )
    op.create_table('received_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('payment_id', sa.String(length=64), nullable=True),
    sa.Column('batch_id', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_received_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_received_events_event_id'))
    )
    with op.batch_alter_table('received_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_events_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_events_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_received_events_type'), ['type'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('received_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_events_type'))
        batch_op.drop_index(batch_op.f('ix_received_events_payment_id'))
        batch_op.drop_index(batch_op.f('ix_received_events_batch_id'))

    op.drop_table('received_events')
    op.drop_table('processed_events')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unpublished', postgresql_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
