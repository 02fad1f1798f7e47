"""bank statements: the statements disbursement reconciled and the breaks their unmatched entries raised

Revision ID: statements_bank_statements
Revises: payeerule_payee_scope
Create Date: 2026-12-02 07:30:00.000000
"""
import sqlalchemy as sa

from alembic import op
from services.audit.db.bank_statement_tables import bank_statement_tables
from shared.db import NAMING_CONVENTION

revision = 'statements_bank_statements'
down_revision = 'payeerule_payee_scope'
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    bank_statement_tables(metadata)
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    op.drop_table('bank_statement_breaks')
    op.drop_table('bank_statements')
