"""claim search columns: the decision's fund, policy and reason codes, and the review state (issue 14)

Revision ID: officer_claim_search_columns
Revises: sequence_streams
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = 'officer_claim_search_columns'
down_revision = 'sequence_streams'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fund', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('policy_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reason_codes', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('review_state', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_claims_fund'), ['fund'], unique=False)
    # claims decided before this migration: their columns from the decision they hold
    claims = sa.table('claims', sa.column('claim_id', sa.String), sa.column('decision', sa.JSON),
                      sa.column('fund', sa.String), sa.column('policy_id', sa.String),
                      sa.column('reason_codes', sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(claims.c.claim_id, claims.c.decision).where(claims.c.decision.is_not(None))).all()
    for claim_id, decision in rows:
        codes = sorted({r.get('code') for r in (decision or {}).get('reasons') or [] if r.get('code')})
        bind.execute(claims.update().where(claims.c.claim_id == claim_id).values(
            fund=decision.get('fund'), policy_id=decision.get('policy_id'),
            reason_codes=f" {' '.join(codes)} " if codes else None))


def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_fund'))
        batch_op.drop_column('review_state')
        batch_op.drop_column('reason_codes')
        batch_op.drop_column('policy_id')
        batch_op.drop_column('fund')
