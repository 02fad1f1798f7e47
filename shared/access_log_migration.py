"""The access-log table as each service's migration `access log` (2026-12-02) creates it: one definition for
the three histories (the audit's migration adds its append-only triggers). Frozen with that revision: a later
change to the table (shared.access_trail.access_log_table) is a new migration, never an edit here."""

import sqlalchemy as sa


def create_access_log(op) -> None:  # type: ignore[no-untyped-def]
    op.create_table('access_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('access_id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('claim_id', sa.String(length=64), nullable=True),
    sa.Column('batch_id', sa.String(length=64), nullable=True),
    sa.Column('payment_id', sa.String(length=64), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    sa.UniqueConstraint('access_id', name=op.f('uq_access_log_access_id'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_actor_at', ['actor', 'at'], unique=False)
        batch_op.create_index('ix_access_log_batch', ['batch_id'], unique=False)
        batch_op.create_index('ix_access_log_claim', ['claim_id'], unique=False)


def drop_access_log(op) -> None:  # type: ignore[no-untyped-def]
    op.drop_table('access_log')
