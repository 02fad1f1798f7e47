"""A COPY whose rows are sent but whose result is read later, so that Python works while PostgreSQL takes them.

A COPY's rows reach the server as they are written; once they are all sent, the client would wait for the
server to finish them (their indexes, checks and foreign keys). A deferred COPY sends its end and returns at
once; its result is settled (read, and raised if it failed) before anything else uses the connection: the
next statement SQLAlchemy runs on it, the next COPY, a commit, a rollback, or the pool taking the connection
back. So it stays inside its transaction, and its failure is raised before that transaction can commit, as a
plain COPY's would be, only a statement or two later.
"""

from collections.abc import Generator
from typing import Any

import psycopg
from psycopg import errors, pq
from psycopg.copy import LibpqWriter
from psycopg.generators import fetch_many
from psycopg.waiting import Ready, Wait
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import Pool

_PENDING = "_grants_unsettled_copy"  # on the psycopg connection: the statement of its unsettled COPY


class _SendOnly(LibpqWriter):
    """Ends the COPY without waiting for the server's answer (on success; a failed copy ends as usual)."""

    def __init__(self, cursor: psycopg.Cursor, statement: str):  # type: ignore[type-arg]
        super().__init__(cursor)
        self.statement = statement

    def finish(self, exc: BaseException | None = None) -> None:
        if exc is not None:
            super().finish(exc)
            return
        self.connection.wait(_send_end(self._pgconn))
        setattr(self.connection, _PENDING, self.statement)


def _send_end(pgconn: Any) -> Generator[Wait, Ready, None]:
    """psycopg's copy_end without its final fetch: the end message queued and flushed."""
    while pgconn.put_copy_end(None) == 0:
        while not (yield Wait.W):
            continue
    while True:
        while not (yield Wait.W):
            continue
        if pgconn.flush() == 0:
            return


def writer(cursor: psycopg.Cursor, statement: str) -> LibpqWriter:  # type: ignore[type-arg]
    """A writer for cursor.copy(statement, writer=...) that leaves the COPY unsettled."""
    return _SendOnly(cursor, statement)


def settle(driver: Any, *, raising: bool = True) -> None:
    """Read the result of the connection's unsettled COPY, if any; raise its failure as SQLAlchemy would."""
    statement = getattr(driver, _PENDING, None)
    if statement is None:
        return
    setattr(driver, _PENDING, None)
    try:
        failed = [r for r in driver.wait(fetch_many(driver.pgconn)) if r.status != pq.ExecStatus.COMMAND_OK]
        if failed:
            raise errors.error_from_result(failed[0], encoding=driver.pgconn._encoding)
    except psycopg.Error as exc:
        if raising:
            raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _driver(dbapi_connection: Any) -> Any:
    return getattr(dbapi_connection, "driver_connection", dbapi_connection)


def _driver_of(conn: Any) -> Any:
    """The driver connection behind a SQLAlchemy Connection; None for one invalidated (a lost session), whose
    `.connection` would try to reconnect inside a transaction that can only be rolled back."""
    return None if conn.invalidated or conn.closed else _driver(conn.connection)


@event.listens_for(Engine, "before_cursor_execute")
def _before_statement(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
    settle(_driver(conn.connection))  # a statement runs on a live connection


@event.listens_for(Engine, "commit")
def _before_commit(conn) -> None:  # type: ignore[no-untyped-def]
    driver = _driver_of(conn)
    if driver is None:
        return
    try:
        settle(driver)
    except DBAPIError:
        # Raised here, before SQLAlchemy's own COMMIT, the failure ends its transaction without the rollback it
        # would do for a failed statement: roll back now, so the connection goes back to the pool clean.
        try:
            driver.rollback()
        except psycopg.Error:  # a lost connection: the pool discards it on its own
            pass
        raise


@event.listens_for(Engine, "rollback")
def _before_rollback(conn) -> None:  # type: ignore[no-untyped-def]
    driver = _driver_of(conn)
    if driver is not None:
        settle(driver, raising=False)  # rolled back anyway: its outcome no longer matters


@event.listens_for(Pool, "reset")
def _before_reset(dbapi_connection, connection_record, reset_state) -> None:  # type: ignore[no-untyped-def]
    settle(_driver(dbapi_connection), raising=False)
