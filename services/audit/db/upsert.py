"""INSERT .. ON CONFLICT DO NOTHING on both backends: how every idempotent write here is made."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, rows: Sequence[dict[str, Any]] | dict[str, Any],
                  conflict_on: Sequence[str]) -> int:
    """Insert rows that do not collide on conflict_on; returns how many were inserted.

    On PostgreSQL a collision with a row another transaction has not committed yet waits for it,
    so two racing writers cannot both insert.
    """
    rows = [rows] if isinstance(rows, dict) else list(rows)
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    # SQLAlchemy 2.1 on psycopg reports an INSERT's rowcount as -1 unless asked to keep it.
    statement = statement.execution_options(preserve_rowcount=True)
    inserted = 0
    for row in rows:  # one statement per row: rowcount of an executemany is not reliable on every driver
        inserted += session.execute(statement.values(**row).on_conflict_do_nothing(index_elements=list(conflict_on))
                                    ).rowcount
    return inserted
