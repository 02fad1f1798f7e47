"""What auditors review beside the ledger: findings, quarantined events, budgets, approved batch members.

None of these is the ledger itself: a quarantined event is released (released_* set) when the
payment it waited for is issued, and an admin may restate a budget.
"""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, Integer, String, Text
from sqlmodel import Field

from services.audit.db.base import Base
from services.audit.db.types import Id, UtcDateTime


class FindingRow(Base, table=True):
    __tablename__ = "findings"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    finding_key: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    rule: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    severity: str = Field(sa_column=Column(String(8), nullable=False))
    clause: str = Field(sa_column=Column(String(120), nullable=False))
    payment_ids: list = Field(sa_column=Column(JSON, nullable=False))
    batch_ids: list = Field(sa_column=Column(JSON, nullable=False))
    detail: str = Field(sa_column=Column(Text, nullable=False))
    found_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # how auditors work it (finding_work_tables keeps every change); "system" closes what no longer holds
    status: str = Field(default="open", sa_column=Column(String(16), nullable=False, index=True,
                                                         server_default="open"))
    status_by: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    status_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    status_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # the group a cross-event rule judged ("person:<ref>", ...): re-judging it may close the finding
    scope_key: str | None = Field(default=None, sa_column=Column(String(820), nullable=True, index=True))


class QuarantinedEventRow(Base, table=True):
    """An event received but not posted: malformed, contradicting the ledger, or waiting for its issue."""

    __tablename__ = "quarantined_events"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    event_id: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    event_type: str = Field(sa_column=Column(String(64), nullable=False))
    payment_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    reason: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    detail: str = Field(sa_column=Column(Text, nullable=False))
    quarantined_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    released_entry_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    released_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))


class FundBudgetRow(Base, table=True):
    """A fund's budget for a calendar year, as the audit knows it (read by the budget rule)."""

    __tablename__ = "fund_budgets"
    __table_args__ = (CheckConstraint("amount_fen >= 0", name="amount_not_negative"),)

    fund: str = Field(sa_column=Column(String(64), primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    set_by: str = Field(sa_column=Column(String(200), nullable=False))
    set_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class ApprovedPaymentRow(Base, table=True):
    """One payment id listed by a grants.batch.approved event, so reconciliation can join by payment id."""

    __tablename__ = "approved_payments"

    batch_id: str = Field(sa_column=Column(String(64), primary_key=True))
    payment_id: str = Field(sa_column=Column(String(64), primary_key=True, index=True))
