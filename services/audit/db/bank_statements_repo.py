"""Queries of the bank statements and the breaks they raised (db.bank_statement_tables)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.audit.db.tables import bank_statement_breaks, bank_statements
from shared.bulk import insert_or_ignore


def keep_statement(session: Session, row: dict[str, Any]) -> bool:
    """The statement, once per event id: False when it was already kept (nothing more to do)."""
    return insert_or_ignore(session, bank_statements, row, conflict_on=("event_id",))


def clear_matched(session: Session, fund: str, references: Sequence[str], statement_id: str, at: datetime) -> int:
    """Close the fund's open breaks whose payment (or reference) a later statement matched."""
    if not references:
        return 0
    refs = list(references)
    open_ = (bank_statement_breaks.c.fund == fund) & bank_statement_breaks.c.cleared_at.is_(None)
    hit = bank_statement_breaks.c.reference.in_(refs) | bank_statement_breaks.c.payment_id.in_(refs)
    done = session.execute(update(bank_statement_breaks).where(open_ & hit)
                           .values(cleared_by=statement_id, cleared_at=at))
    return done.rowcount or 0


def raise_breaks(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(bank_statement_breaks), rows)


def open_breaks(session: Session, fund: str | None) -> Sequence[Any]:
    query = select(bank_statement_breaks).where(bank_statement_breaks.c.cleared_at.is_(None))
    if fund is not None:
        query = query.where(bank_statement_breaks.c.fund == fund)
    return session.execute(query.order_by(bank_statement_breaks.c.id)).mappings().all()
