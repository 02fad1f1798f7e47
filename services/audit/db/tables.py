"""Audit tables: every event received, as received (the evidence the ledger and reports are built from)."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer, String
from sqlmodel import Field

from shared.db import service_base
from shared.inbox import inbox_table
from shared.outbox import outbox_table

Base = service_base("Audit")


class ReceivedEvent(Base, table=True):
    __tablename__ = "received_events"

    id: int | None = Field(default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True))
    event_id: str = Field(sa_column=Column(String(200), nullable=False, unique=True))
    type: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    subject: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    payment_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    batch_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True, index=True))
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
