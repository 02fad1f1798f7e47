"""The ledger's Merkle log per fund, its signed checkpoints and the co-signatures witnesses add to them.

All three are append-only like the ledger (the migration's triggers refuse UPDATE and DELETE): a
node is written once, when its subtree is complete; a checkpoint is a signed statement, never revised.
The signing key is not here: only its key id, so a database alone cannot forge a checkpoint.
"""

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlmodel import Field

from services.audit.db.base import Base
from services.audit.db.types import Id, UtcDateTime


class MerkleNodeRow(Base, table=True):
    """Complete subtree (level, idx) of a fund's log: leaves [idx·2^level, (idx+1)·2^level); level 0 are leaves."""

    __tablename__ = "merkle_nodes"

    fund: str = Field(sa_column=Column(String(64), primary_key=True))
    level: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    idx: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))  # lower-case hex SHA-256


class CheckpointRow(Base, table=True):
    __tablename__ = "ledger_checkpoints"
    __table_args__ = (Index("ix_ledger_checkpoints_fund_id", "fund", "id"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    fund: str = Field(sa_column=Column(String(64), nullable=False))
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    root: str = Field(sa_column=Column(String(64), nullable=False))
    issued_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    key_id: str = Field(sa_column=Column(String(64), nullable=False))
    signature: str = Field(sa_column=Column(String(88), nullable=False))  # base64 of the 64-byte Ed25519 signature


class CosignatureRow(Base, table=True):
    __tablename__ = "checkpoint_cosignatures"
    __table_args__ = (UniqueConstraint("checkpoint_id", "key_id", name="uq_checkpoint_cosignatures_checkpoint_key"),)

    id: int | None = Field(default=None, sa_column=Column(Id, primary_key=True, autoincrement=True))
    checkpoint_id: int = Field(sa_column=Column(Id, ForeignKey("ledger_checkpoints.id"), nullable=False))
    key_id: str = Field(sa_column=Column(String(64), nullable=False))
    public_key: str = Field(sa_column=Column(Text, nullable=False))  # the witness's PEM, as it was given
    signature: str = Field(sa_column=Column(String(88), nullable=False))
    received_at: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
