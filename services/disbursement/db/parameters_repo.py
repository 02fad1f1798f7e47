"""Queries on operator-set parameters and the record of their changes."""

from sqlalchemy import select
from sqlmodel import Session

from services.disbursement.db.parameter_tables import OperatorParameter, ParameterChange


def values(session: Session) -> dict[str, str]:
    """parameter id -> the value in force, for every parameter an operator has set."""
    return {p.parameter_id: p.value for p in session.execute(select(OperatorParameter)).scalars()}


def lock_current(session: Session, parameter_id: str) -> OperatorParameter | None:
    """The parameter's row, locked until the transaction ends (None: never set)."""
    return session.get(OperatorParameter, parameter_id, with_for_update=True)


def record_change(session: Session, change: ParameterChange, current: OperatorParameter) -> None:
    session.add(change)
    session.add(current)
