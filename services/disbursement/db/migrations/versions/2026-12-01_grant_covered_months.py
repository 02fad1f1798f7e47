"""grant covered months

grants.covered_months: the calendar months (YYYY-MM, a JSON list) a grant paid for, where a programme pays per
month of a period. A later claim for the same qualifying key is paid only for months no grant covers yet
(issue 13). Grants recorded before this revision cover no known months ([]).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:59:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('covered_months', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_column('covered_months')
