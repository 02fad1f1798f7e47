"""payee account scope: the payments already received judged by account_receives_for_many

No schema change: payment_facts already holds payee_ref, indexed. Ingest now queues a payee_account group for
every payment; this queues one for every account the payments received so far reached, so the anomaly worker
judges the history too (an account that already receives for too many beneficiaries is found without waiting for
its next payment).

Revision ID: payeerule_payee_scope
Revises: banktrail_audit_access_log
Create Date: 2026-12-02 07:15:00.000000
"""
from alembic import op

revision = 'payeerule_payee_scope'
down_revision = 'banktrail_audit_access_log'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("INSERT INTO anomaly_scopes_due (scope, key) "
               "SELECT DISTINCT 'payee_account', payee_ref FROM payment_facts")


def downgrade() -> None:
    # the findings stay (they held on the events received); only the groups not judged yet leave the queue
    op.execute("DELETE FROM anomaly_scopes_due WHERE scope = 'payee_account'")
