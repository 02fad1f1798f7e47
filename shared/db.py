"""Engines and the one-commit unit of work; each service has its own metadata (own migration history)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import registry
from sqlmodel import Session, SQLModel, create_engine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_base(name: str) -> type[SQLModel]:
    """A SQLModel base with its own metadata, so one service's tables never mix with another's."""
    base = type(f"{name}Base", (SQLModel,), {}, registry=registry(metadata=MetaData(naming_convention=NAMING_CONVENTION)))
    return base


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Build an engine; SQLite files get their folder, WAL and a busy timeout so workers and requests coexist."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()
    else:
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    # SQLAlchemy 2.1 reports rowcount -1 for an INSERT .. ON CONFLICT unless asked to keep it, and
    # insert-or-ignore (the inbox, idempotency keys, ledger heads) reads "already there" from that count.
    return engine.execution_options(preserve_rowcount=True)


def database_reachable(engine: Engine) -> bool:
    """For readiness: can a connection run a query now?"""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
        return False


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: the caller's work flushes, this commits once or rolls back."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
