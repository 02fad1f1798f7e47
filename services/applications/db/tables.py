"""Applications tables: claims (the system of record of what applicants filed) and their status history."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, Integer, String, UniqueConstraint
from sqlmodel import Field

from shared.db_types import UtcDateTime
from shared.db import service_base
from shared.access_trail import access_log_table
from shared.dead_letter_records import dead_letter_table
from shared.inbox import inbox_table
from shared.outbox import outbox_table

Base = service_base("Applications")


class ClaimRow(Base, table=True):
    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("applicant_sub", "idempotency_key", name="uq_claims_applicant_idempotency_key"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    applicant_sub: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    idempotency_key: str = Field(sa_column=Column(String(255), nullable=False))
    request_sha256: str = Field(sa_column=Column(String(64), nullable=False))
    programme: str = Field(sa_column=Column(String(64), nullable=False))
    jurisdiction: str = Field(sa_column=Column(String(32), nullable=False))
    beneficiary_ref: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    body: dict = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(sa_column=Column(String(32), nullable=False))
    decision: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    submitted_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    # The decision's fund, policy and reason codes (" CODE_A CODE_B "), copied out of `decision` so that
    # staff search filters on indexed columns (domain.search_index) rather than inside JSON.
    fund: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    policy_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    reason_codes: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
    # None, "requested" (the applicant asked for review of a rejection) or "answered" (an officer re-decided)
    review_state: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    # The batch of the latest payment event applied to the claim: a batched/unbatched event of that batch
    # arriving afterwards is late (domain.status.is_stale_batch_move).
    payment_batch_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))


class ClaimHistoryRow(Base, table=True):
    __tablename__ = "claim_history"

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    status: str = Field(sa_column=Column(String(32), nullable=False))
    at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    event_id: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    detail: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
access_log = access_log_table(Base.metadata)  # shared.access_trail; db/access_log.py records into it
dead_letters = dead_letter_table(Base.metadata)  # beside the inbox: the consumer finds it there

# Rows never changed once written: the app role may only SELECT and INSERT them (`grants migrate`).
APPEND_ONLY_TABLES: tuple[str, ...] = ("access_log",)
