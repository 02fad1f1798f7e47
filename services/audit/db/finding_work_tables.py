"""Auditors working their findings: every status change, and money recovered (追回) against a finding."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, String, Text
from sqlmodel import Field

from services.audit.db.base import Base
from services.audit.db.types import Id, UtcDateTime


class FindingStatusChangeRow(Base, table=True):
    __tablename__ = "finding_status_changes"

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    finding_id: int = Field(sa_column=Column(Id, ForeignKey("findings.id"), nullable=False, index=True))
    from_status: str = Field(sa_column=Column(String(16), nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    actor: str = Field(sa_column=Column(String(200), nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class FindingRecoveryRow(Base, table=True):
    """An overpaid amount recovered, and the ledger entry that returns it to the fund."""

    __tablename__ = "finding_recoveries"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    finding_id: int = Field(sa_column=Column(Id, ForeignKey("findings.id"), nullable=False, index=True))
    amount_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    entry_id: str = Field(sa_column=Column(String(36), nullable=False))
    note: str = Field(sa_column=Column(Text, nullable=False))
    recorded_by: str = Field(sa_column=Column(String(200), nullable=False))
    recorded_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
