"""claim payment batch: the batch of the latest payment event a claim has followed, so that a late batched
or unbatched event of that batch is told from a re-batch into a new batch

Revision ID: staleorder_claim_batch
Revises: banktrail_apps_access_log
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = 'staleorder_claim_batch'
down_revision = 'banktrail_apps_access_log'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Claims paid before this migration keep None: their late batch events are judged by status alone, as before.
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_batch_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('payment_batch_id')
