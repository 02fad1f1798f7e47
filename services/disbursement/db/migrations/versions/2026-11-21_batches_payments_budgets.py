"""batches payments budgets

Finance officers' tables (contract §4): batches, their items, approvals and transitions; payments;
fund budgets; lock rows for budget and daily-limit checks; bank return uploads. decisions.status
gains in_batch, payment_issued, paid and payment_failed (a string column: no schema change).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 23:59:54.055664
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bank_return_uploads',
    sa.Column('upload_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source_format', sa.String(length=16), nullable=False),
    sa.Column('original_message_id', sa.String(length=35), nullable=True),
    sa.Column('uploaded_by', sa.String(length=200), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied', sa.Integer(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('upload_id', name=op.f('pk_bank_return_uploads'))
    )
    op.create_index(op.f('ix_bank_return_uploads_sha256'), 'bank_return_uploads', ['sha256'], unique=False)
    op.create_table('batch_approvals',
    sa.Column('batch_id', sa.String(length=35), nullable=False),
    sa.Column('checker', sa.String(length=200), nullable=False),
    sa.Column('checker_role', sa.String(length=16), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('business_day', sa.Date(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('batch_id', 'checker', name=op.f('pk_batch_approvals'))
    )
    op.create_table('batch_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.String(length=35), nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('programme', sa.String(length=64), nullable=False),
    sa.Column('policy_id', sa.String(length=64), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('payee_ref', sa.String(length=64), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_items'))
    )
    op.create_index(op.f('ix_batch_items_batch_id'), 'batch_items', ['batch_id'], unique=False)
    op.create_index('uq_batch_items_held_claim', 'batch_items', ['claim_id'], unique=True, postgresql_where=sa.text('released_at IS NULL'), sqlite_where=sa.text('released_at IS NULL'))
    op.create_table('batch_transitions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.String(length=35), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_transitions'))
    )
    op.create_index(op.f('ix_batch_transitions_batch_id'), 'batch_transitions', ['batch_id'], unique=False)
    op.create_table('batches',
    sa.Column('batch_id', sa.String(length=35), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('programme', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('maker', sa.String(length=200), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('total_fen', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_batches'))
    )
    op.create_index(op.f('ix_batches_fund'), 'batches', ['fund'], unique=False)
    op.create_index(op.f('ix_batches_status'), 'batches', ['status'], unique=False)
    op.create_table('finance_locks',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_finance_locks'))
    )
    op.create_table('fund_budgets',
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('fund', 'year', name=op.f('pk_fund_budgets'))
    )
    op.create_table('payments',
    sa.Column('payment_id', sa.String(length=35), nullable=False),
    sa.Column('batch_id', sa.String(length=35), nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('programme', sa.String(length=64), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('beneficiary_ref', sa.String(length=64), nullable=False),
    sa.Column('payee_ref', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('budget_year', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason_code', sa.String(length=35), nullable=True),
    sa.Column('return_upload_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('payment_id', name=op.f('pk_payments')),
    sa.UniqueConstraint('batch_id', 'claim_id', name='uq_payments_batch_claim')
    )
    op.create_index(op.f('ix_payments_batch_id'), 'payments', ['batch_id'], unique=False)
    op.create_index(op.f('ix_payments_claim_id'), 'payments', ['claim_id'], unique=False)
    op.create_index('ix_payments_fund_year', 'payments', ['fund', 'budget_year'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_payments_fund_year', table_name='payments')
    op.drop_index(op.f('ix_payments_claim_id'), table_name='payments')
    op.drop_index(op.f('ix_payments_batch_id'), table_name='payments')
    op.drop_table('payments')
    op.drop_table('fund_budgets')
    op.drop_table('finance_locks')
    op.drop_index(op.f('ix_batches_status'), table_name='batches')
    op.drop_index(op.f('ix_batches_fund'), table_name='batches')
    op.drop_table('batches')
    op.drop_index(op.f('ix_batch_transitions_batch_id'), table_name='batch_transitions')
    op.drop_table('batch_transitions')
    op.drop_index('uq_batch_items_held_claim', table_name='batch_items', postgresql_where=sa.text('released_at IS NULL'), sqlite_where=sa.text('released_at IS NULL'))
    op.drop_index(op.f('ix_batch_items_batch_id'), table_name='batch_items')
    op.drop_table('batch_items')
    op.drop_table('batch_approvals')
    op.drop_index(op.f('ix_bank_return_uploads_sha256'), table_name='bank_return_uploads')
    op.drop_table('bank_return_uploads')
