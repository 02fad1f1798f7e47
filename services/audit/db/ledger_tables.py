"""The ledger: journal entries chained per fund, their postings, and each fund's head.

Append-only: rows of ledger_entries and ledger_postings are never updated or deleted (the migration
adds triggers that refuse it; corrections are reversing entries). fund_heads is the one mutable
pointer, locked FOR UPDATE while an entry is appended so each fund's sequence stays gapless.
"""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlmodel import Field

from services.audit.db.base import Base
from services.audit.db.types import Id, UtcDateTime


class LedgerEntryRow(Base, table=True):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("fund", "seq", name="uq_ledger_entries_fund_seq"),
        # the target of the postings' (entry_id, fund) key: a posting cannot name another fund's entry
        UniqueConstraint("entry_id", "fund", name="uq_ledger_entries_entry_id_fund"),
        CheckConstraint("seq >= 1", name="seq_positive"),
    )

    entry_id: str = Field(sa_column=Column(String(36), primary_key=True))
    fund: str = Field(sa_column=Column(String(64), nullable=False))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    event_id: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    payment_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
    posted_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False, index=True))


class LedgerPostingRow(Base, table=True):
    __tablename__ = "ledger_postings"
    __table_args__ = (
        ForeignKeyConstraint(["entry_id", "fund"], ["ledger_entries.entry_id", "ledger_entries.fund"],
                             name="fk_ledger_postings_entry_id_fund_ledger_entries"),
        # A prefix test rather than LIKE fund || ':%': in LIKE the "_" of fund codes is a wildcard
        # (and SQLite's LIKE ignores case), so LIKE would admit another fund's account.
        CheckConstraint("substr(account, 1, length(fund) + 1) = fund || ':' AND length(account) > length(fund) + 1",
                        name="account_in_fund"),
        CheckConstraint("(debit_fen > 0 AND credit_fen = 0) OR (credit_fen > 0 AND debit_fen = 0)",
                        name="one_sided"),
        Index("ix_ledger_postings_entry_id", "entry_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    entry_id: str = Field(sa_column=Column(String(36), nullable=False))
    fund: str = Field(sa_column=Column(String(64), nullable=False))
    account: str = Field(sa_column=Column(String(200), nullable=False))
    debit_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    credit_fen: int = Field(sa_column=Column(BigInteger, nullable=False))


class FundHeadRow(Base, table=True):
    __tablename__ = "fund_heads"
    __table_args__ = (CheckConstraint("seq >= 0", name="seq_not_negative"),)

    fund: str = Field(sa_column=Column(String(64), primary_key=True))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))  # 0: no entry yet
    hash: str = Field(sa_column=Column(String(64), nullable=False))
