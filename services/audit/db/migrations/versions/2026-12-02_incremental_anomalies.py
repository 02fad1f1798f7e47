"""incremental anomalies and finding work: the aggregates the rules read, findings' status, history and recoveries

payment_facts, fund_year_totals and anomaly_batches are kept as events arrive (service.anomaly_intake), so the
anomaly worker judges only the groups an event changed; anomaly_scopes_due is its queue. Findings gain a status
(open, acknowledged, resolved, false_positive), its history and recoveries; ledger_verified_points lets
GET /v1/ledger/verify go on from where it last verified. The aggregates of events received before this
revision are built here from received_events, by the same code the consumer runs.

Revision ID: findings_incremental_anomalies
Revises: outboxlife_audit_deadletters
Create Date: 2026-12-02 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from services.audit.db.types import Id, UtcDateTime

revision = 'findings_incremental_anomalies'
down_revision = 'outboxlife_audit_deadletters'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('anomaly_batches',
    sa.Column('batch_id', sa.String(length=200), nullable=False),
    sa.Column('maker', sa.String(length=200), nullable=True),
    sa.Column('total_fen', sa.BigInteger(), nullable=True),
    sa.Column('approved_at', UtcDateTime(), nullable=True),
    sa.Column('approval_received_at', UtcDateTime(), nullable=True),
    sa.Column('issued_events', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', UtcDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('batch_id', name=op.f('pk_anomaly_batches'))
    )
    with op.batch_alter_table('anomaly_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anomaly_batches_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index('ix_anomaly_batches_maker_total', ['maker', 'total_fen'], unique=False)

    op.create_table('anomaly_scopes_due',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('key', sa.String(length=800), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anomaly_scopes_due'))
    )
    op.create_table('fund_year_totals',
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('issued_fen', sa.BigInteger(), nullable=False),
    sa.Column('failed_fen', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('fund', 'year', name=op.f('pk_fund_year_totals'))
    )
    op.create_table('ledger_verified_points',
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('verified_at', UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('fund', name=op.f('pk_ledger_verified_points'))
    )
    op.create_table('payment_facts',
    sa.Column('payment_id', sa.String(length=64), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=False),
    sa.Column('claim_id', sa.String(length=200), nullable=False),
    sa.Column('batch_id', sa.String(length=200), nullable=False),
    sa.Column('programme', sa.String(length=64), nullable=False),
    sa.Column('policy_id', sa.String(length=200), nullable=False),
    sa.Column('clause', sa.String(length=200), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('beneficiary_ref', sa.String(length=200), nullable=False),
    sa.Column('person_ref', sa.String(length=200), nullable=False),
    sa.Column('payee_ref', sa.String(length=200), nullable=False),
    sa.Column('qualifying_key', sa.String(length=500), nullable=False),
    sa.Column('qualifying_date', sa.Date(), nullable=False),
    sa.Column('maker', sa.String(length=200), nullable=False),
    sa.Column('checker', sa.String(length=200), nullable=False),
    sa.Column('issued_at', UtcDateTime(), nullable=False),
    sa.Column('subject_ref', sa.String(length=200), nullable=True),
    sa.Column('tier', sa.String(length=64), nullable=True),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('checker_role', sa.String(length=32), nullable=True),
    sa.Column('beneficiary_kind', sa.String(length=16), nullable=True),
    sa.Column('failed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('payment_id', name=op.f('pk_payment_facts'))
    )
    with op.batch_alter_table('payment_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_facts_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_facts_claim_id'), ['claim_id'], unique=False)
        batch_op.create_index('ix_payment_facts_fund_year', ['fund', 'year', 'issued_at', 'payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_facts_payee_ref'), ['payee_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_facts_person_ref'), ['person_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_facts_programme'), ['programme'], unique=False)
        batch_op.create_index('ix_payment_facts_qualifying', ['policy_id', 'programme', 'qualifying_key'], unique=False)

    op.create_table('finding_recoveries',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('finding_id', Id, nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', UtcDateTime(), nullable=False),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_finding_recoveries_amount_positive')),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_finding_recoveries_finding_id_findings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_recoveries'))
    )
    with op.batch_alter_table('finding_recoveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_recoveries_finding_id'), ['finding_id'], unique=False)

    op.create_table('finding_status_changes',
    sa.Column('id', Id, autoincrement=True, nullable=False),
    sa.Column('finding_id', Id, nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['findings.id'], name=op.f('fk_finding_status_changes_finding_id_findings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finding_status_changes'))
    )
    with op.batch_alter_table('finding_status_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_status_changes_finding_id'), ['finding_id'], unique=False)

    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='open', nullable=False))
        batch_op.add_column(sa.Column('status_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('status_at', UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column('status_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('scope_key', sa.String(length=820), nullable=True))
        batch_op.create_index(batch_op.f('ix_findings_scope_key'), ['scope_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_findings_status'), ['status'], unique=False)

    _backfill()


def _backfill() -> None:
    """The aggregates of the events already received, and every group they touch queued for judgement."""
    from sqlalchemy.orm import Session

    from services.audit.service.anomaly_intake import rebuild_aggregates

    session = Session(bind=op.get_bind())
    rebuild_aggregates(session)
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('findings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_findings_status'))
        batch_op.drop_index(batch_op.f('ix_findings_scope_key'))
        batch_op.drop_column('scope_key')
        batch_op.drop_column('status_note')
        batch_op.drop_column('status_at')
        batch_op.drop_column('status_by')
        batch_op.drop_column('status')

    with op.batch_alter_table('finding_status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_status_changes_finding_id'))

    op.drop_table('finding_status_changes')
    with op.batch_alter_table('finding_recoveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_recoveries_finding_id'))

    op.drop_table('finding_recoveries')
    with op.batch_alter_table('payment_facts', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_facts_qualifying')
        batch_op.drop_index(batch_op.f('ix_payment_facts_programme'))
        batch_op.drop_index(batch_op.f('ix_payment_facts_person_ref'))
        batch_op.drop_index(batch_op.f('ix_payment_facts_payee_ref'))
        batch_op.drop_index('ix_payment_facts_fund_year')
        batch_op.drop_index(batch_op.f('ix_payment_facts_claim_id'))
        batch_op.drop_index(batch_op.f('ix_payment_facts_batch_id'))

    op.drop_table('payment_facts')
    op.drop_table('ledger_verified_points')
    op.drop_table('fund_year_totals')
    op.drop_table('anomaly_scopes_due')
    with op.batch_alter_table('anomaly_batches', schema=None) as batch_op:
        batch_op.drop_index('ix_anomaly_batches_maker_total')
        batch_op.drop_index(batch_op.f('ix_anomaly_batches_changed_at'))

    op.drop_table('anomaly_batches')
