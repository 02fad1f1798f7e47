"""Finance tables: batches and their items, who did what to them, payments, fund budgets, bank return uploads.

Declared on db/base.py's Base; db/tables.py imports this module, so importing tables registers them.
"""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Column, Date, Index, Integer, String, UniqueConstraint, text
from sqlmodel import Field

from shared.db_types import UtcDateTime

from services.disbursement.db.base import Base, BigId

_HELD = text("released_at IS NULL")


class BatchRow(Base, table=True):
    """A maker's batch of eligible claims of one fund; count and total are its control totals."""

    __tablename__ = "batches"

    # "B" + 32 hex: also the pain.001 MsgId and PmtInfId (Max35Text)
    batch_id: str = Field(sa_column=Column(String(35), primary_key=True))
    fund: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    programme: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    status: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    maker: str = Field(sa_column=Column(String(200), nullable=False))
    count: int = Field(sa_column=Column(Integer, nullable=False))
    total_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    approved_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))


class BatchItemRow(Base, table=True):
    """A claim in a batch. removed_at: taken out of the draft (no longer counted). released_at: the batch
    no longer holds the claim (removed, batch rejected, payment failed). At most one held item per claim,
    the backstop that keeps a claim out of two batches."""

    __tablename__ = "batch_items"
    __table_args__ = (
        Index("uq_batch_items_held_claim", "claim_id", unique=True, postgresql_where=_HELD, sqlite_where=_HELD),
    )

    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    batch_id: str = Field(sa_column=Column(String(35), nullable=False, index=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False))
    programme: str = Field(sa_column=Column(String(64), nullable=False))
    policy_id: str = Field(sa_column=Column(String(64), nullable=False))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    payee_ref: str = Field(sa_column=Column(String(64), nullable=False))
    removed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    released_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))


class BatchTransitionRow(Base, table=True):
    """Every move of a batch: who, in which role, when, why, from which status to which."""

    __tablename__ = "batch_transitions"

    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    batch_id: str = Field(sa_column=Column(String(35), nullable=False, index=True))
    action: str = Field(sa_column=Column(String(32), nullable=False))
    from_status: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    to_status: str = Field(sa_column=Column(String(32), nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    actor_role: str = Field(sa_column=Column(String(16), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
    detail: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class BatchApprovalRow(Base, table=True):
    """One checker's signature on a batch; summed per checker and China day for the daily limit."""

    __tablename__ = "batch_approvals"

    batch_id: str = Field(sa_column=Column(String(35), primary_key=True))
    checker: str = Field(sa_column=Column(String(200), primary_key=True))
    checker_role: str = Field(sa_column=Column(String(16), nullable=False))
    total_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    business_day: date = Field(sa_column=Column(Date, nullable=False))
    approved_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class PaymentRow(Base, table=True):
    """One credit transfer: issued at approval, settled or failed by the bank's return."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("batch_id", "claim_id", name="uq_payments_batch_claim"),
        Index("ix_payments_fund_year", "fund", "budget_year"),
    )

    # "P" + 32 hex: the pain.001 EndToEndId (Max35Text) the bank quotes back
    payment_id: str = Field(sa_column=Column(String(35), primary_key=True))
    batch_id: str = Field(sa_column=Column(String(35), nullable=False, index=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    fund: str = Field(sa_column=Column(String(64), nullable=False))
    programme: str = Field(sa_column=Column(String(64), nullable=False))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    beneficiary_ref: str = Field(sa_column=Column(String(64), nullable=False))
    payee_ref: str = Field(sa_column=Column(String(64), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    budget_year: int = Field(sa_column=Column(Integer, nullable=False))
    issued_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    outcome_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    reason_code: str | None = Field(default=None, sa_column=Column(String(35), nullable=True))
    return_upload_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))


class FundBudgetRow(Base, table=True):
    """A fund's budget for a calendar year (China time), set by an admin."""

    __tablename__ = "fund_budgets"

    fund: str = Field(sa_column=Column(String(64), primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    set_by: str = Field(sa_column=Column(String(200), nullable=False))
    set_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class FinanceLock(Base, table=True):
    """Lock rows ("fund:<code>:<year>", "officer:<sub>") taken FOR UPDATE so that two approvals cannot
    both pass a budget or a daily limit that only one of them fits in."""

    __tablename__ = "finance_locks"

    name: str = Field(sa_column=Column(String(255), primary_key=True))


class BankReturnUploadRow(Base, table=True):
    """One bank return file as received: its digest, form, and what each line did (no bank free text)."""

    __tablename__ = "bank_return_uploads"

    upload_id: str = Field(sa_column=Column(String(36), primary_key=True))
    sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    source_format: str = Field(sa_column=Column(String(16), nullable=False))
    original_message_id: str | None = Field(default=None, sa_column=Column(String(35), nullable=True))
    uploaded_by: str = Field(sa_column=Column(String(200), nullable=False))
    uploaded_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    applied: int = Field(sa_column=Column(Integer, nullable=False))
    outcomes: list = Field(sa_column=Column(JSON, nullable=False))
    # per outcome code, how many lines (GET /v1/bank-returns lists uploads without reading their lines)
    summary: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=text("'{}'")))
    line_count: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
