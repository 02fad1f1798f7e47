"""Inserts on both backends, the one way every repository writes rows in bulk or insert-or-ignore, and
set-based lookups: many rows in one INSERT, many keys in one WHERE.

On PostgreSQL the rows travel as one JSON document, `INSERT .. SELECT .. FROM json_to_recordset(:rows)`:
a short statement of the same text for any number of rows, so neither SQLAlchemy nor psycopg renders
and re-parses a statement of thousands of placeholders per batch (a multi-row VALUES does, and that
parsing cost more than the database's own work), and the driver escapes no array elements one by one
(its text arrays do). The rows keep their order, so serial ids follow it.
On SQLite, an executemany (SQLAlchemy pages it into multi-row VALUES when RETURNING is asked for).
Rows that cannot collide with any already there (a ledger's new entries under its fund's lock) may instead
go through copy_rows: PostgreSQL's COPY, the fastest way in, with no conflict handling (a collision fails the
statement); on SQLite it is insert_many.
Likewise a lookup by many keys is `= ANY(:keys)` with one array parameter on PostgreSQL, not an IN list
of as many placeholders. A single row that may already be there (an idempotency key, a lock row) goes
through insert_or_ignore: one statement built once per table, the values as parameters.
"""

import functools
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Table, any_, bindparam, cast, column, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from shared import deferred_copy  # its listeners settle an unsettled COPY before anything else uses the connection


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]], *,
                conflict_on: Sequence[str] | None = None, returning: str | None = None,
                chunk: int | None = None) -> list[Any]:
    """Insert rows (all with the same keys), skipping those that collide on conflict_on if given; `chunk`
    rows a statement when given (a 20,000-row approval keeps each statement modest), else one statement.

    Returns the `returning` column of each row inserted, in order (empty when returning is None).
    On PostgreSQL a collision with a row another transaction has not committed yet waits for it.
    """
    if not rows:
        return []
    if chunk is not None and len(rows) > chunk:
        return [value for start in range(0, len(rows), chunk)
                for value in insert_many(session, table, rows[start:start + chunk], conflict_on=conflict_on,
                                         returning=returning)]
    columns = list(rows[0])
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        records = func.json_to_recordset(cast(bindparam("rows", _json_rows(table, columns, rows, dialect)), JSON))
        records = records.table_valued(*(column(name, table.c[name].type) for name in columns))
        statement = pg_insert(table).from_select(columns, select(*records.render_derived(with_types=True).c))
        params: Any = None
    else:
        statement, params = sqlite_insert(table), list(rows)
    if conflict_on is not None:
        statement = statement.on_conflict_do_nothing(index_elements=list(conflict_on))
    if returning is None:
        session.execute(statement, params)
        return []
    return list(session.execute(statement.returning(table.c[returning]), params).scalars())


class JsonText(str):
    """A JSON column's value already encoded (e.g. pydantic's model_dump_json): copy_rows sends it as it is."""


def copy_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]], *, settle_later: bool = False) -> None:
    """Insert rows (all with the same keys) with COPY on PostgreSQL, in the session's transaction; on
    SQLite, insert_many. Nothing is skipped: a row colliding with a unique key fails the whole statement.

    settle_later: return once the rows are sent, before PostgreSQL has taken them (shared.deferred_copy); a
    failure is then raised by the session's next statement, or its commit."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        insert_many(session, table, [{k: json.loads(v) if isinstance(v, JsonText) else v for k, v in row.items()}
                                     for row in rows])
        return
    _copy(session.connection().connection.driver_connection, dialect, table, rows, settle_later)


def _copy(driver: Any, dialect: Dialect, table: Table, rows: Sequence[dict[str, Any]], settle_later: bool) -> None:
    import psycopg  # PostgreSQL's driver: present wherever the dialect is

    columns = list(rows[0])
    convert = [_copy_value(table.c[name].type, dialect) for name in columns]
    quoted = ", ".join('"' + name + '"' for name in columns)
    statement = f'COPY "{table.name}" ({quoted}) FROM STDIN'
    values = [[c(row[name]) if c is not None else row[name] for c, name in zip(convert, columns)] for row in rows]
    try:
        deferred_copy.settle(driver)  # converted while an earlier COPY left unsettled was still being taken
        cursor = driver.cursor()
        with cursor.copy(statement, writer=deferred_copy.writer(cursor, statement) if settle_later else None) as copy:
            for row_values in values:
                copy.write_row(row_values)
    except psycopg.Error as exc:  # as SQLAlchemy's own statements raise it: a lost server is an OperationalError
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _copy_value(column_type: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """How a column's value is sent in COPY: JSON encoded (unless it is JsonText), else its type's bind processing."""
    if isinstance(column_type, JSON):
        return lambda v: v if v is None or isinstance(v, JsonText) else json.dumps(v, separators=(",", ":"))
    return column_type._cached_bind_processor(dialect)


def insert_or_ignore(session: Session, table: Table, values: dict[str, Any], conflict_on: Sequence[str]) -> bool:
    """INSERT .. ON CONFLICT DO NOTHING of one row; True when this call inserted it. A concurrent insert of
    the same key waits for the other transaction, then finds it taken (False)."""
    statement = _insert_or_ignore(session.get_bind().dialect.name, table, tuple(conflict_on))
    return session.execute(statement, values).rowcount == 1


@functools.cache  # built once: on a hot path (filing a claim) building a statement costs more than running it
def _insert_or_ignore(dialect: str, table: Table, conflict_on: tuple[str, ...]):  # type: ignore[no-untyped-def]
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # SQLAlchemy 2.1 on psycopg reports an INSERT's rowcount as -1 unless asked to keep it.
    return insert(table).on_conflict_do_nothing(index_elements=list(conflict_on)).execution_options(
        preserve_rowcount=True)


def lock_keys(session: Session, table: Table, key: str, values: Sequence[Any]) -> None:
    """Hold the rows of these keys FOR UPDATE until the transaction ends, creating the missing ones first:
    lock rows that serialise work on something with no row of its own (a person's caps, a fund's year).
    Taken in key order, so two transactions locking overlapping sets cannot deadlock."""
    wanted = sorted(set(values))
    if not wanted:
        return
    insert_many(session, table, [{key: value} for value in wanted], conflict_on=[key])
    keyed = table.c[key]
    session.execute(select(keyed).where(among(session, keyed, wanted)).order_by(keyed).with_for_update()).all()


def among(session: Session, key: ColumnElement[Any], values: Sequence[Any]) -> ColumnElement[bool]:
    """key IN values: one array parameter on PostgreSQL, an IN list elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        return key == any_(cast(bindparam(None, list(values), type_=ARRAY(key.type)), ARRAY(key.type)))
    return key.in_(list(values))


def _json_rows(table: Table, columns: list[str], rows: Sequence[dict[str, Any]], dialect: Dialect) -> str:
    """The rows as one JSON array, each value through its column type's bind processing (JSON columns nest)."""
    processors = {name: table.c[name].type._cached_bind_processor(dialect) for name in columns
                  if not isinstance(table.c[name].type, JSON)}
    processors = {name: p for name, p in processors.items() if p is not None}
    if processors:
        rows = [{**row, **{name: p(row[name]) for name, p in processors.items()}} for row in rows]
    return json.dumps(rows, default=_iso, separators=(",", ":"))


def _iso(value: Any) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a JSON value")
