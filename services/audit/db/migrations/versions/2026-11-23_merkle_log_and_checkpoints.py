"""merkle log and checkpoints: each fund's RFC 9162 log beside its chain, signed checkpoints, co-signatures

The log of the entries already in the ledger is built here, fund by fund in seq order, by the same
function that appends new entries. All three tables are append-only, as the ledger is.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from services.audit.db.types import Id, UtcDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

APPEND_ONLY = ("merkle_nodes", "ledger_checkpoints", "checkpoint_cosignatures")
PAGE = 2000


def upgrade() -> None:
    op.create_table('merkle_nodes',
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('level', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('idx', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('fund', 'level', 'idx', name=op.f('pk_merkle_nodes'))
    )
    op.create_table('ledger_checkpoints',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('root', sa.String(length=64), nullable=False),
    sa.Column('issued_at', UtcDateTime(), nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=88), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_checkpoints'))
    )
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_checkpoints_fund_id', ['fund', 'id'], unique=False)
    op.create_table('checkpoint_cosignatures',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('checkpoint_id', Id, nullable=False),
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('public_key', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=88), nullable=False),
    sa.Column('received_at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['checkpoint_id'], ['ledger_checkpoints.id'],
                            name=op.f('fk_checkpoint_cosignatures_checkpoint_id_ledger_checkpoints')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkpoint_cosignatures')),
    sa.UniqueConstraint('checkpoint_id', 'key_id', name='uq_checkpoint_cosignatures_checkpoint_key')
    )
    _refuse_updates_and_deletes()
    _build_logs()


def _refuse_updates_and_deletes() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        if postgres:  # audit_ledger_append_only() is revision 0002's
            op.execute(f"CREATE TRIGGER trg_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION audit_ledger_append_only()")
            op.execute(f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_append_only()")
            continue
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER trg_{table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: {action} on {table} refused'); END")


def _build_logs() -> None:
    """Every fund's entries, a page at a time in seq order, appended to its log as new entries are."""
    from sqlalchemy.orm import Session

    from services.audit.db import ledger_reads, merkle_repo

    session = Session(bind=op.get_bind())
    for fund in session.execute(sa.text("SELECT fund FROM fund_heads WHERE seq > 0 ORDER BY fund")).scalars():
        after = None
        while page := ledger_reads.entries_page(session, ledger_reads.EntryFilter(fund=fund), after, PAGE):
            merkle_repo.append_leaves(session, page)
            after = (fund, page[-1].seq)
    session.flush()


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        for name in (("append_only", "no_truncate") if postgres else ("no_update", "no_delete")):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_{name}" + (f" ON {table}" if postgres else ""))
    op.drop_table('checkpoint_cosignatures')
    with op.batch_alter_table('ledger_checkpoints', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_checkpoints_fund_id')
    op.drop_table('ledger_checkpoints')
    op.drop_table('merkle_nodes')
