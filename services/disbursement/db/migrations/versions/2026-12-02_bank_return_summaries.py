"""bank return summaries: each upload's per-outcome line counts, so uploads are listed without their lines

Uploads taken before this revision get their counts from their stored lines.

Revision ID: banktrail_bank_return_summaries
Revises: banktrail_disb_access_log
Create Date: 2026-12-02 06:10:00.000000
"""
import json
from collections import Counter

from alembic import op
import sqlalchemy as sa

revision = 'banktrail_bank_return_summaries'
down_revision = 'banktrail_disb_access_log'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('bank_return_uploads') as batch:
        batch.add_column(sa.Column('summary', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch.add_column(sa.Column('line_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
    uploads = sa.table('bank_return_uploads', sa.column('upload_id', sa.String), sa.column('outcomes', sa.JSON),
                       sa.column('summary', sa.JSON), sa.column('line_count', sa.Integer))
    bind = op.get_bind()
    for upload_id, outcomes in bind.execute(sa.select(uploads.c.upload_id, uploads.c.outcomes)).all():
        lines = json.loads(outcomes) if isinstance(outcomes, str) else outcomes
        counts = dict(Counter(line["outcome"] for line in lines))
        bind.execute(uploads.update().where(uploads.c.upload_id == upload_id).values(summary=counts,
                                                                                    line_count=len(lines)))


def downgrade() -> None:
    with op.batch_alter_table('bank_return_uploads') as batch:
        batch.drop_column('line_count')
        batch.drop_column('summary')
