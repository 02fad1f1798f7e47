"""Operator-set parameters: values the seeds leave open (local minimum wage, district amounts, …)."""

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field

from shared.db_types import UtcDateTime

from services.disbursement.db.base import Base, BigId


class OperatorParameter(Base, table=True):
    """The value in force for one operator-sourced catalog parameter."""

    __tablename__ = "operator_parameters"

    parameter_id: str = Field(sa_column=Column(String(200), primary_key=True))
    value: str = Field(sa_column=Column(String(64), nullable=False))
    set_by: str = Field(sa_column=Column(String(200), nullable=False))
    set_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    reason: str = Field(sa_column=Column(String(500), nullable=False))


class ParameterChange(Base, table=True):
    """Append-only record of who set which value when, and why."""

    __tablename__ = "operator_parameter_changes"

    id: int | None = Field(default=None, sa_column=Column(BigId, primary_key=True, autoincrement=True))
    parameter_id: str = Field(sa_column=Column(String(200), nullable=False, index=True))
    old_value: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    new_value: str = Field(sa_column=Column(String(64), nullable=False))
    set_by: str = Field(sa_column=Column(String(200), nullable=False))
    set_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))
    reason: str = Field(sa_column=Column(String(500), nullable=False))
