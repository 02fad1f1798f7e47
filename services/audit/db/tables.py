"""Audit tables: every event as received (the evidence), plus the ledger and review tables.

received_events keeps the payload as received and, for an event that reads as a fact, the columns
reconciliation aggregates in SQL (fact, fund, amount, when, China calendar day), so a report over
a million payments never carries or parses a payload.

Importing this module registers every audit table on Base.metadata (Alembic's env reads it).
"""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, Date, DateTime, Index, String
from sqlmodel import Field

from services.audit.db.anomaly_tables import (AnomalyBatchRow, AnomalyScopeDueRow, FundYearTotalRow,
                                             LedgerVerifiedPointRow, PaymentFactRow)
from services.audit.db.bank_statement_tables import bank_statement_tables
from services.audit.db.base import Base
from services.audit.db.finding_work_tables import FindingRecoveryRow, FindingStatusChangeRow
from services.audit.db.ledger_tables import FundHeadRow, LedgerEntryRow, LedgerPostingRow
from services.audit.db.merkle_tables import CheckpointRow, CosignatureRow, MerkleNodeRow
from services.audit.db.review_tables import ApprovedPaymentRow, FindingRow, FundBudgetRow, QuarantinedEventRow
from services.audit.db.types import Id, UtcDateTime
from shared.access_trail import access_log_table
from shared.dead_letter_records import dead_letter_table
from shared.inbox import inbox_table
from shared.outbox import outbox_table

__all__ = ["AnomalyBatchRow", "AnomalyScopeDueRow", "FindingRecoveryRow", "FindingStatusChangeRow",
           "FundYearTotalRow", "LedgerVerifiedPointRow", "PaymentFactRow", "ApprovedPaymentRow", "Base", "CheckpointRow", "CosignatureRow", "FindingRow", "FundBudgetRow",
           "FundHeadRow", "LedgerEntryRow", "LedgerPostingRow", "MerkleNodeRow", "QuarantinedEventRow", "ReceivedEvent",
           "bank_statement_breaks", "bank_statements", "dead_letters", "inbox", "outbox"]


class ReceivedEvent(Base, table=True):
    __tablename__ = "received_events"
    # reconciliation's GROUP BY payment_id reads this index only, never the table's payloads
    __table_args__ = (Index("ix_received_events_payment_fact", "payment_id", "fact", "fund", "amount_fen",
                            "business_day", "batch_id"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    event_id: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    type: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    subject: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    payment_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    batch_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # set only when the payload reads as a fact (received_repo.fact_columns); NULL for a malformed event
    fact: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    fund: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    amount_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))  # payment events
    occurred_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    business_day: date | None = Field(default=None, sa_column=Column(Date, nullable=True))  # China calendar day


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
access_log = access_log_table(Base.metadata)  # shared.access_trail; db/access_log.py records into it
dead_letters = dead_letter_table(Base.metadata)  # beside the inbox: the consumer finds it there
bank_statements, bank_statement_breaks = bank_statement_tables(Base.metadata)  # db/bank_statements_repo.py

# Rows never changed once written: the app role may only SELECT and INSERT them (`grants migrate`).
APPEND_ONLY_TABLES: tuple[str, ...] = ("access_log", LedgerEntryRow.__tablename__, LedgerPostingRow.__tablename__, MerkleNodeRow.__tablename__,
                      CheckpointRow.__tablename__, CosignatureRow.__tablename__)
