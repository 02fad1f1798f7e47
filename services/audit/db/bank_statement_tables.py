"""The bank statements the audit received (grants.bank_statement.reconciled) and the reconciliation breaks
they raised: a statement entry that matched no payment, or a payment issued and not on the statement. A break
stays open until a later statement of its fund matches its payment (cleared_by names that statement)."""

from sqlalchemy import BigInteger, Column, Date, Index, Integer, MetaData, String, Table, UniqueConstraint

from services.audit.db.types import Id, UtcDateTime


def bank_statement_tables(metadata: MetaData) -> tuple[Table, Table]:
    statements = Table(
        "bank_statements", metadata,
        Column("id", Id, primary_key=True, autoincrement=True),
        Column("event_id", String(200), nullable=False, unique=True),  # one statement per event: redelivery no-op
        Column("statement_id", String(64), nullable=False),
        Column("fund", String(64), nullable=False),
        Column("form", String(16)),
        Column("first_day", Date), Column("last_day", Date),
        Column("matched", Integer, nullable=False),
        Column("reconciled_at", UtcDateTime, nullable=False),
        Column("received_at", UtcDateTime, nullable=False),
    )
    breaks = Table(
        "bank_statement_breaks", metadata,
        Column("id", Id, primary_key=True, autoincrement=True),
        Column("event_id", String(200), nullable=False),
        Column("statement_id", String(64), nullable=False),
        Column("fund", String(64), nullable=False),
        Column("kind", String(40), nullable=False),  # statement_entry_unmatched | payment_not_on_statement
        Column("entry_no", Integer, nullable=False),  # 0 for a payment not on the statement
        Column("reference", String(64), nullable=False),  # the EndToEndId (payment id) or MsgId (batch id)
        Column("payment_id", String(64)), Column("batch_id", String(64)),
        Column("amount_fen", BigInteger, nullable=False),
        Column("day", Date),  # the entry's booking day, else the statement's last day
        Column("detail", String(300), nullable=False),
        Column("cleared_by", String(64)),  # the later statement that matched it
        Column("cleared_at", UtcDateTime),
        UniqueConstraint("event_id", "kind", "entry_no", "reference"),
        Index("ix_bank_statement_breaks_open", "fund", "reference", postgresql_where=Column("cleared_at").is_(None)),
    )
    return statements, breaks
