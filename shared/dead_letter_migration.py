"""The dead-letter table and the inbox's age index as each service's migration `dead letters and inbox pruning`
(2026-12-02) creates them: one definition for the three histories. Frozen with that revision: a later change
to either table is a new migration, never an edit here."""

import sqlalchemy as sa


def create_dead_letters(op) -> None:  # type: ignore[no-untyped-def]
    op.create_table('dead_letters',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('consumer', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=True),
    sa.Column('event_type', sa.String(length=64), nullable=True),
    sa.Column('source_topic', sa.String(length=249), nullable=False),
    sa.Column('source_partition', sa.Integer(), nullable=False),
    sa.Column('source_offset', sa.BigInteger(), nullable=False),
    sa.Column('message_key', sa.LargeBinary(), nullable=True),
    sa.Column('message_value', sa.LargeBinary(), nullable=False),
    sa.Column('correlation_id', sa.String(length=64), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('dead_lettered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('redrive_attempts', sa.Integer(), nullable=False),
    sa.Column('redriven_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redriven_by', sa.String(length=200), nullable=True),
    sa.Column('redrive_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dead_letters'))
    )
    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.create_index('ix_dead_letters_status', ['status', 'id'], unique=False)
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.create_index('ix_processed_events_processed_at', ['processed_at'], unique=False)


def drop_dead_letters(op) -> None:  # type: ignore[no-untyped-def]
    with op.batch_alter_table('processed_events', schema=None) as batch_op:
        batch_op.drop_index('ix_processed_events_processed_at')
    with op.batch_alter_table('dead_letters', schema=None) as batch_op:
        batch_op.drop_index('ix_dead_letters_status')
    op.drop_table('dead_letters')
