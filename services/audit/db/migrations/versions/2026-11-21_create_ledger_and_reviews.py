"""create ledger and reviews: the hash-chained ledger per fund, findings, quarantine, budgets

The ledger tables are append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL),
so a correction can only be a new reversing entry. The hash chain still detects an edit made by
someone who disables them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:49:46.762786
"""
from alembic import op
import sqlalchemy as sa

LEDGER_TABLES = ("ledger_entries", "ledger_postings")

PG_REFUSE = """
CREATE FUNCTION audit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$
"""


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('approved_payments',
    sa.Column('batch_id', sa.String(length=64), nullable=False),
    sa.Column('payment_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('batch_id', 'payment_id', name=op.f('pk_approved_payments'))
    )
    with op.batch_alter_table('approved_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approved_payments_payment_id'), ['payment_id'], unique=False)

    op.create_table('findings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('finding_key', sa.String(length=64), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('clause', sa.String(length=120), nullable=False),
    sa.Column('payment_ids', sa.JSON(), nullable=False),
    sa.Column('batch_ids', sa.JSON(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_findings')),
    sa.UniqueConstraint('finding_key', name=op.f('uq_findings_finding_key'))
    )
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_findings_rule'), ['rule'], unique=False)

    op.create_table('fund_budgets',
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_fund_budgets_amount_not_negative')),
    sa.PrimaryKeyConstraint('fund', 'year', name=op.f('pk_fund_budgets'))
    )
    op.create_table('fund_heads',
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('seq >= 0', name=op.f('ck_fund_heads_seq_not_negative')),
    sa.PrimaryKeyConstraint('fund', name=op.f('pk_fund_heads'))
    )
    op.create_table('ledger_entries',
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('payment_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seq >= 1', name=op.f('ck_ledger_entries_seq_positive')),
    sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('entry_id', 'fund', name='uq_ledger_entries_entry_id_fund'),
    sa.UniqueConstraint('event_id', name=op.f('uq_ledger_entries_event_id')),
    sa.UniqueConstraint('fund', 'seq', name='uq_ledger_entries_fund_seq')
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_posted_at'), ['posted_at'], unique=False)

    op.create_table('quarantined_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('payment_id', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('quarantined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_entry_id', sa.String(length=36), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantined_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_quarantined_events_event_id'))
    )
    with op.batch_alter_table('quarantined_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantined_events_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quarantined_events_reason'), ['reason'], unique=False)

    op.create_table('ledger_postings',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('account', sa.String(length=200), nullable=False),
    sa.Column('debit_fen', sa.BigInteger(), nullable=False),
    sa.Column('credit_fen', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("substr(account, 1, length(fund) + 1) = fund || ':' AND length(account) > length(fund) + 1", name=op.f('ck_ledger_postings_account_in_fund')),
    sa.CheckConstraint('(debit_fen > 0 AND credit_fen = 0) OR (credit_fen > 0 AND debit_fen = 0)', name=op.f('ck_ledger_postings_one_sided')),
    sa.ForeignKeyConstraint(['entry_id', 'fund'], ['ledger_entries.entry_id', 'ledger_entries.fund'], name='fk_ledger_postings_entry_id_fund_ledger_entries'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_postings'))
    )
    with op.batch_alter_table('ledger_postings', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_postings_entry_id', ['entry_id'], unique=False)

    _create_append_only_triggers()


def _create_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_REFUSE)
        for table in LEDGER_TABLES:
            op.execute(f"CREATE TRIGGER trg_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION audit_ledger_append_only()")
            op.execute(f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_append_only()")
        return
    for table in LEDGER_TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER trg_{table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: {action} on {table} refused'); END")


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in LEDGER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS audit_ledger_append_only()")
        return
    for table in LEDGER_TABLES:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_{action}")


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table('ledger_postings', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_postings_entry_id')

    op.drop_table('ledger_postings')
    with op.batch_alter_table('quarantined_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantined_events_reason'))
        batch_op.drop_index(batch_op.f('ix_quarantined_events_payment_id'))

    op.drop_table('quarantined_events')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_posted_at'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_payment_id'))

    op.drop_table('ledger_entries')
    op.drop_table('fund_heads')
    op.drop_table('fund_budgets')
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_rule'))

    op.drop_table('findings')
    with op.batch_alter_table('approved_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approved_payments_payment_id'))

    op.drop_table('approved_payments')
