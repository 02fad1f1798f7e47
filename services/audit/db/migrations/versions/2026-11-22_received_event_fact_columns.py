"""received event fact columns: what reconciliation aggregates, stored at receive time

fact (issued | settled | failed | approved, NULL when the payload does not read as a fact), fund,
amount_fen, occurred_at and business_day (its China calendar day), and the index the report's
GROUP BY payment_id reads instead of the payloads. Rows already received are filled from their
payloads here, with the same function that fills new ones.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 02:40:00.000000
"""
from alembic import op
import sqlalchemy as sa

from services.audit.db.received_repo import FACT_COLUMNS, fact_columns

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

INDEX_COLUMNS = ['payment_id', 'fact', 'fund', 'amount_fen', 'business_day', 'batch_id']
PAGE = 1000


def upgrade() -> None:
    with op.batch_alter_table('received_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fact', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('fund', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('amount_fen', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('business_day', sa.Date(), nullable=True))
    _backfill()
    with op.batch_alter_table('received_events', schema=None) as batch_op:
        batch_op.create_index('ix_received_events_payment_fact', INDEX_COLUMNS, unique=False)


def _backfill() -> None:
    """Page through the rows by id, each page's columns written in one executemany."""
    from services.audit.db.tables import ReceivedEvent

    table, bind = ReceivedEvent.__table__, op.get_bind()
    update = table.update().where(table.c.id == sa.bindparam('row_id')).values(
        {name: sa.bindparam(name) for name in FACT_COLUMNS})
    last = 0
    while page := bind.execute(sa.select(table.c.id, table.c.payload).where(table.c.id > last)
                               .order_by(table.c.id).limit(PAGE)).all():
        bind.execute(update, [{"row_id": row_id, **fact_columns(payload)} for row_id, payload in page])
        last = page[-1].id


def downgrade() -> None:
    with op.batch_alter_table('received_events', schema=None) as batch_op:
        batch_op.drop_index('ix_received_events_payment_fact')
        batch_op.drop_column('business_day')
        batch_op.drop_column('occurred_at')
        batch_op.drop_column('amount_fen')
        batch_op.drop_column('fund')
        batch_op.drop_column('fact')
