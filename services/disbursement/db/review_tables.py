"""Tables of the officers' controls (issue 14): payee changes awaiting an officer's confirmation, bulk
re-evaluations with their progress, and every re-decision with who, when and the catalog hash.

Declared on db/base.py's Base; db/tables.py imports this module, so importing tables registers them.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Column, Integer, String
from sqlmodel import Field

from services.disbursement.db.base import Base, BigId
from shared.db_types import UtcDateTime


class PayeeChangeRow(Base, table=True):
    """A payee account changed by the claimant after a failed payment; batchable again once confirmed."""

    __tablename__ = "payee_changes"

    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    payee_ref: str = Field(sa_column=Column(String(64), nullable=False))
    payee_name_matches: bool | None = Field(default=None, sa_column=Column(Boolean, nullable=True))
    changed_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    confirmed_by: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    confirmed_role: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    confirmed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    note: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))


class ReevaluationRow(Base, table=True):
    """A bulk re-evaluation of the claims rejected for an unset parameter, and how far it has got."""

    __tablename__ = "reevaluations"

    reevaluation_id: str = Field(sa_column=Column(String(36), primary_key=True))
    parameter_id: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    requested_by: str = Field(sa_column=Column(String(200), nullable=False))
    requested_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))  # running | done | failed
    total: int = Field(sa_column=Column(Integer, nullable=False))
    done: int = Field(sa_column=Column(Integer, nullable=False))
    now_eligible: int = Field(sa_column=Column(Integer, nullable=False))
    still_rejected: int = Field(sa_column=Column(Integer, nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    error: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))


class RedecisionRow(Base, table=True):
    """One claim decided again: by whom, when, under which catalog, from what to what, and why."""

    __tablename__ = "redecisions"

    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    claim_id: str = Field(sa_column=Column(String(36), nullable=False, index=True))
    trigger: str = Field(sa_column=Column(String(16), nullable=False))  # reevaluation | review
    reevaluation_id: str | None = Field(default=None, sa_column=Column(String(36), nullable=True))
    decided_by: str = Field(sa_column=Column(String(200), nullable=False))
    decided_role: str = Field(sa_column=Column(String(16), nullable=False))
    decided_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    catalog_hash: str = Field(sa_column=Column(String(64), nullable=False))
    from_outcome: str = Field(sa_column=Column(String(16), nullable=False))
    to_outcome: str = Field(sa_column=Column(String(16), nullable=False))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(String(500), nullable=True))
