"""create decisions and grants

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 23:54:48.774357
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('decisions',
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('programme', sa.String(length=64), nullable=False),
    sa.Column('jurisdiction', sa.String(length=32), nullable=False),
    sa.Column('policy_id', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=True),
    sa.Column('clause', sa.String(length=64), nullable=True),
    sa.Column('beneficiary_ref', sa.String(length=64), nullable=False),
    sa.Column('payee_ref', sa.String(length=64), nullable=False),
    sa.Column('qualifying_key', sa.String(length=300), nullable=True),
    sa.Column('qualifying_date', sa.Date(), nullable=True),
    sa.Column('catalog_hash', sa.String(length=64), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_beneficiary_ref'), ['beneficiary_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_fund'), ['fund'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_status'), ['status'], unique=False)

    op.create_table('grant_refs',
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('claim_id', 'ref', name=op.f('pk_grant_refs'))
    )
    with op.batch_alter_table('grant_refs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_refs_ref'), ['ref'], unique=False)

    op.create_table('grants',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('claim_id', sa.String(length=36), nullable=False),
    sa.Column('programme', sa.String(length=64), nullable=False),
    sa.Column('policy_id', sa.String(length=64), nullable=False),
    sa.Column('fund', sa.String(length=64), nullable=False),
    sa.Column('beneficiary_ref', sa.String(length=64), nullable=False),
    sa.Column('subject_ref', sa.String(length=64), nullable=False),
    sa.Column('qualifying_key', sa.String(length=400), nullable=False),
    sa.Column('qualifying_date', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('claim_id', name=op.f('uq_grants_claim_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_beneficiary_ref'), ['beneficiary_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_subject_ref'), ['subject_ref'], unique=False)

    op.create_table('operator_parameter_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('parameter_id', sa.String(length=200), nullable=False),
    sa.Column('old_value', sa.String(length=64), nullable=True),
    sa.Column('new_value', sa.String(length=64), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operator_parameter_changes'))
    )
    with op.batch_alter_table('operator_parameter_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operator_parameter_changes_parameter_id'), ['parameter_id'], unique=False)

    op.create_table('operator_parameters',
    sa.Column('parameter_id', sa.String(length=200), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('parameter_id', name=op.f('pk_operator_parameters'))
    )
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
    op.create_table('subject_locks',
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('ref', name=op.f('pk_subject_locks'))
    )


def downgrade() -> None:
    op.drop_table('subject_locks')
    op.drop_table('processed_events')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unpublished', postgresql_where=sa.text('published_at IS NULL'))

    op.drop_table('outbox')
    op.drop_table('operator_parameters')
    with op.batch_alter_table('operator_parameter_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operator_parameter_changes_parameter_id'))

    op.drop_table('operator_parameter_changes')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_subject_ref'))
        batch_op.drop_index(batch_op.f('ix_grants_beneficiary_ref'))

    op.drop_table('grants')
    with op.batch_alter_table('grant_refs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_refs_ref'))

    op.drop_table('grant_refs')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_status'))
        batch_op.drop_index(batch_op.f('ix_decisions_fund'))
        batch_op.drop_index(batch_op.f('ix_decisions_beneficiary_ref'))

    op.drop_table('decisions')
