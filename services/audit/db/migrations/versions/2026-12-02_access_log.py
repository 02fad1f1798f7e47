"""access log: the service's access trail (shared.access_trail), append-only

Revision ID: banktrail_audit_access_log
Revises: sequence_streams
Create Date: 2026-12-02 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

from shared.access_trail import access_log_table
from shared.db import NAMING_CONVENTION

revision = 'banktrail_audit_access_log'
down_revision = 'sequence_streams'
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_table(sa.MetaData(naming_convention=NAMING_CONVENTION)).create(op.get_bind())
    # the trail is evidence, as the ledger is: append-only even for the app role (revision 0002's function)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER trg_access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_ledger_append_only()")
        op.execute("CREATE TRIGGER trg_access_log_no_truncate BEFORE TRUNCATE ON access_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_append_only()")


def downgrade() -> None:
    op.drop_table('access_log')
