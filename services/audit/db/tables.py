"""Audit tables: every event as received (the evidence), plus the ledger and review tables.

Importing this module registers every audit table on Base.metadata (Alembic's env reads it).
"""

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, String
from sqlmodel import Field

from services.audit.db.base import Base
from services.audit.db.ledger_tables import FundHeadRow, LedgerEntryRow, LedgerPostingRow
from services.audit.db.review_tables import ApprovedPaymentRow, FindingRow, FundBudgetRow, QuarantinedEventRow
from services.audit.db.types import Id
from shared.inbox import inbox_table
from shared.outbox import outbox_table

__all__ = ["ApprovedPaymentRow", "Base", "FindingRow", "FundBudgetRow", "FundHeadRow", "LedgerEntryRow",
           "LedgerPostingRow", "QuarantinedEventRow", "ReceivedEvent", "inbox", "outbox"]


class ReceivedEvent(Base, table=True):
    __tablename__ = "received_events"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    event_id: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    type: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    subject: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    payment_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    batch_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
