"""bank statements: the statements disbursement reconciled and the breaks their unmatched entries raised

Revision ID: statements_bank_statements
Revises: payeerule_payee_scope
Create Date: 2026-12-02 07:30:00.000000

The DDL is written out here (frozen with the revision), not read from db/bank_statement_tables.py, so a later
change of the tables is a migration of its own.
"""
import sqlalchemy as sa

from alembic import op

revision = 'statements_bank_statements'
down_revision = 'payeerule_payee_scope'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'bank_statements',
        sa.Column('id', ID, primary_key=True, autoincrement=True),
        sa.Column('event_id', sa.String(200), nullable=False),
        sa.Column('statement_id', sa.String(64), nullable=False),
        sa.Column('fund', sa.String(64), nullable=False),
        sa.Column('form', sa.String(16)),
        sa.Column('first_day', sa.Date), sa.Column('last_day', sa.Date),
        sa.Column('matched', sa.Integer, nullable=False),
        sa.Column('reconciled_at', UTC_TIME, nullable=False),
        sa.Column('received_at', UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_bank_statements'),
        sa.UniqueConstraint('event_id', name='uq_bank_statements_event_id'),
    )
    op.create_table(
        'bank_statement_breaks',
        sa.Column('id', ID, primary_key=True, autoincrement=True),
        sa.Column('event_id', sa.String(200), nullable=False),
        sa.Column('statement_id', sa.String(64), nullable=False),
        sa.Column('fund', sa.String(64), nullable=False),
        sa.Column('kind', sa.String(40), nullable=False),
        sa.Column('entry_no', sa.Integer, nullable=False),
        sa.Column('reference', sa.String(64), nullable=False),
        sa.Column('payment_id', sa.String(64)), sa.Column('batch_id', sa.String(64)),
        sa.Column('amount_fen', sa.BigInteger, nullable=False),
        sa.Column('day', sa.Date),
        sa.Column('detail', sa.String(300), nullable=False),
        sa.Column('cleared_by', sa.String(64)),
        sa.Column('cleared_at', UTC_TIME),
        sa.PrimaryKeyConstraint('id', name='pk_bank_statement_breaks'),
        sa.UniqueConstraint('event_id', 'kind', 'entry_no', 'reference',
                            name='uq_bank_statement_breaks_event_id'),
    )
    op.create_index('ix_bank_statement_breaks_open', 'bank_statement_breaks', ['fund', 'reference'],
                    postgresql_where=sa.text('cleared_at IS NULL'))


def downgrade() -> None:
    op.drop_table('bank_statement_breaks')
    op.drop_table('bank_statements')
