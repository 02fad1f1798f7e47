"""access log: the service's access trail (shared.access_trail), append-only

Revision ID: banktrail_disb_access_log
Revises: officer_controls
Create Date: 2026-12-02 06:00:00.000000
"""
from alembic import op

from shared.access_log_migration import create_access_log, drop_access_log

revision = 'banktrail_disb_access_log'
down_revision = 'officer_controls'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_log(op)


def downgrade() -> None:
    drop_access_log(op)
