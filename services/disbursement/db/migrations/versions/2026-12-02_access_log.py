"""access log: the service's access trail (shared.access_trail), append-only

Revision ID: banktrail_disb_access_log
Revises: officer_controls
Create Date: 2026-12-02 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from shared.access_trail import access_log_table
from shared.db import NAMING_CONVENTION

revision = 'banktrail_disb_access_log'
down_revision = 'officer_controls'
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_table(sa.MetaData(naming_convention=NAMING_CONVENTION)).create(op.get_bind())


def downgrade() -> None:
    op.drop_table('access_log')
