"""access log: the service's access trail (shared.access_trail), append-only

Revision ID: banktrail_audit_access_log
Revises: sequence_streams
Create Date: 2026-12-02 06:00:00.000000
"""
from alembic import op

from shared.access_log_migration import create_access_log, drop_access_log

revision = 'banktrail_audit_access_log'
down_revision = 'sequence_streams'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_access_log(op)
    # the trail is evidence, as the ledger is: append-only even for the app role (revision 0002's function)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE TRIGGER trg_access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_ledger_append_only()")
        op.execute("CREATE TRIGGER trg_access_log_no_truncate BEFORE TRUNCATE ON access_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_append_only()")


def downgrade() -> None:
    drop_access_log(op)
