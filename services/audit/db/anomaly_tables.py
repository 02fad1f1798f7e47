"""What the anomaly rules read, kept up to date as events arrive, so no rule re-reads the received history.

payment_facts holds each issued payment once (its first event), with the columns every cross-event rule groups
by (qualifying key, person, payee, fund-year, batch) indexed; it also gives ledger entries their claim, batch and
programme. fund_year_totals and anomaly_batches are running aggregates. anomaly_scopes_due is the queue of
groups whose members changed: the anomaly worker re-judges each once and deletes it.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, String
from sqlmodel import Field

from services.audit.db.base import Base
from services.audit.db.types import Id, UtcDateTime


class PaymentFactRow(Base, table=True):
    __tablename__ = "payment_facts"
    __table_args__ = (
        Index("ix_payment_facts_qualifying", "policy_id", "programme", "qualifying_key"),
        Index("ix_payment_facts_fund_year", "fund", "year", "issued_at", "payment_id"),
    )

    payment_id: str = Field(sa_column=Column(String(64), primary_key=True))
    event_id: str = Field(sa_column=Column(String(200), nullable=False))
    claim_id: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    batch_id: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    programme: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    policy_id: str = Field(sa_column=Column(String(200), nullable=False))
    clause: str = Field(sa_column=Column(String(200), nullable=False))
    fund: str = Field(sa_column=Column(String(64), nullable=False))
    year: int = Field(sa_column=Column(Integer, nullable=False))  # China calendar year of issued_at
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    beneficiary_ref: str = Field(sa_column=Column(String(200), nullable=False))
    person_ref: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    payee_ref: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    qualifying_key: str = Field(sa_column=Column(String(500), nullable=False))
    qualifying_date: date = Field(sa_column=Column(Date, nullable=False))
    maker: str = Field(sa_column=Column(String(200), nullable=False))
    checker: str = Field(sa_column=Column(String(200), nullable=False))
    issued_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    subject_ref: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    tier: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    units: int = Field(sa_column=Column(Integer, nullable=False))
    checker_role: str | None = Field(default=None, sa_column=Column(String(32), nullable=True))
    beneficiary_kind: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    failed: bool = Field(sa_column=Column(Boolean, nullable=False))  # the bank returned it: it grants nothing


class FundYearTotalRow(Base, table=True):
    """A fund's issued and failed totals for a China calendar year (the budget rule's inputs)."""

    __tablename__ = "fund_year_totals"

    fund: str = Field(sa_column=Column(String(64), primary_key=True))
    year: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    issued_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    failed_fen: int = Field(sa_column=Column(BigInteger, nullable=False))


class AnomalyBatchRow(Base, table=True):
    """A batch as the rules see it: its approval (when received) and how many issued events named it."""

    __tablename__ = "anomaly_batches"
    __table_args__ = (Index("ix_anomaly_batches_maker_total", "maker", "total_fen"),)

    batch_id: str = Field(sa_column=Column(String(200), primary_key=True))
    maker: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    total_fen: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    approved_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    approval_received_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True))
    issued_events: int = Field(sa_column=Column(BigInteger, nullable=False))
    # set when something about the batch arrived since it was last judged; cleared by the judgement
    changed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime, nullable=True, index=True))


class AnomalyScopeDueRow(Base, table=True):
    """A group of events ("person", "payee", "qualifying", "fund_year", "maker") to judge again."""

    __tablename__ = "anomaly_scopes_due"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    scope: str = Field(sa_column=Column(String(16), nullable=False))
    key: str = Field(sa_column=Column(String(800), nullable=False))


class LedgerVerifiedPointRow(Base, table=True):
    """How far each fund's chain was last verified: GET /v1/ledger/verify goes on from here."""

    __tablename__ = "ledger_verified_points"

    fund: str = Field(sa_column=Column(String(64), primary_key=True))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
    verified_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
