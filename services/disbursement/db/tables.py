"""Disbursement tables: decisions, the grants that count against caps, and per-subject locks.

Importing this module registers every disbursement table on Base.metadata (Alembic's env reads it):
the finance and parameter tables are declared in their own modules, on the same base (db/base.py).
"""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Column, Date, String, text
from sqlmodel import Field

from shared.db_types import UtcDateTime

from services.disbursement.db import batch_tables, parameter_tables, review_tables  # noqa: F401 - register their tables
from services.disbursement.db.base import Base, BigId
from shared.access_trail import access_log_table
from shared.dead_letter_records import dead_letter_table
from shared.inbox import inbox_table
from shared.outbox import outbox_table

class DecisionRow(Base, table=True):
    """One decision per claim: what the applicant is told, and what finance officers batch."""

    __tablename__ = "decisions"

    claim_id: str = Field(sa_column=Column(String(36), primary_key=True))
    programme: str = Field(sa_column=Column(String(64), nullable=False))
    jurisdiction: str = Field(sa_column=Column(String(32), nullable=False))
    policy_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    outcome: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(sa_column=Column(String(32), nullable=False, index=True))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    fund: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    clause: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    beneficiary_ref: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    payee_ref: str = Field(sa_column=Column(String(64), nullable=False))
    qualifying_key: str | None = Field(default=None, sa_column=Column(String(300), nullable=True))
    qualifying_date: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    catalog_hash: str = Field(sa_column=Column(String(64), nullable=False))
    # the payee account's name is the claimant's (names compared normalised; None: decided before this was kept)
    payee_name_matches: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    document: dict = Field(sa_column=Column(JSON, nullable=False))
    decided_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class GrantRow(Base, table=True):
    """An eligible decision that counts against caps and exclusivity while it is active."""

    __tablename__ = "grants"

    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    programme: str = Field(sa_column=Column(String(64), nullable=False))
    policy_id: str = Field(sa_column=Column(String(64), nullable=False))
    fund: str = Field(sa_column=Column(String(64), nullable=False))
    beneficiary_ref: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    subject_ref: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    qualifying_key: str = Field(sa_column=Column(String(400), nullable=False))
    qualifying_date: date = Field(sa_column=Column(Date, nullable=False))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    record: dict = Field(sa_column=Column(JSON, nullable=False))
    # The calendar months (YYYY-MM) the grant paid for: what a months cap reads (see GrantRecord.months).
    covered_months: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False, server_default=text("'[]'")))
    active: bool = Field(sa_column=Column(Boolean, nullable=False, server_default=text("true")))
    created_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class GrantRef(Base, table=True):
    """Every ref a grant can be found by (subject and parties): history for a claim is a lookup by ref."""

    __tablename__ = "grant_refs"

    claim_id: str = Field(sa_column=Column(String(36), primary_key=True))
    ref: str = Field(sa_column=Column(String(64), primary_key=True, index=True))


class SubjectLock(Base, table=True):
    """One row per person or organisation ref: deciding a claim locks the rows of everyone it touches."""

    __tablename__ = "subject_locks"

    ref: str = Field(sa_column=Column(String(64), primary_key=True))


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
access_log = access_log_table(Base.metadata)  # shared.access_trail; db/access_log.py records into it
dead_letters = dead_letter_table(Base.metadata)  # beside the inbox: the consumer finds it there

# Rows never changed once written: the app role may only SELECT and INSERT them (`grants migrate`).
APPEND_ONLY_TABLES: tuple[str, ...] = ("access_log",)

