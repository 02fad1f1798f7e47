"""officer controls: payee changes to confirm, bulk re-evaluations, re-decisions (issue 14)

Revision ID: officer_controls
Revises: sequence_streams
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = 'officer_controls'
down_revision = 'sequence_streams'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payee_name_matches', sa.Boolean(), nullable=True))
    op.create_table('payee_changes',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('claim_id', sa.String(length=36), nullable=False),
        sa.Column('payee_ref', sa.String(length=64), nullable=False),
        sa.Column('payee_name_matches', sa.Boolean(), nullable=True),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_by', sa.String(length=200), nullable=True),
        sa.Column('confirmed_role', sa.String(length=16), nullable=True),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payee_changes')))
    op.create_index(op.f('ix_payee_changes_claim_id'), 'payee_changes', ['claim_id'], unique=False)
    op.create_table('reevaluations',
        sa.Column('reevaluation_id', sa.String(length=36), nullable=False),
        sa.Column('parameter_id', sa.String(length=200), nullable=False),
        sa.Column('requested_by', sa.String(length=200), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('now_eligible', sa.Integer(), nullable=False),
        sa.Column('still_rejected', sa.Integer(), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint('reevaluation_id', name=op.f('pk_reevaluations')))
    op.create_index(op.f('ix_reevaluations_parameter_id'), 'reevaluations', ['parameter_id'], unique=False)
    op.create_table('redecisions',
        sa.Column('id', BigId, autoincrement=True, nullable=False),
        sa.Column('claim_id', sa.String(length=36), nullable=False),
        sa.Column('trigger', sa.String(length=16), nullable=False),
        sa.Column('reevaluation_id', sa.String(length=36), nullable=True),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_role', sa.String(length=16), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('catalog_hash', sa.String(length=64), nullable=False),
        sa.Column('from_outcome', sa.String(length=16), nullable=False),
        sa.Column('to_outcome', sa.String(length=16), nullable=False),
        sa.Column('amount_fen', sa.BigInteger(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_redecisions')))
    op.create_index(op.f('ix_redecisions_claim_id'), 'redecisions', ['claim_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_redecisions_claim_id'), table_name='redecisions')
    op.drop_table('redecisions')
    op.drop_index(op.f('ix_reevaluations_parameter_id'), table_name='reevaluations')
    op.drop_table('reevaluations')
    op.drop_index(op.f('ix_payee_changes_claim_id'), table_name='payee_changes')
    op.drop_table('payee_changes')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('payee_name_matches')
