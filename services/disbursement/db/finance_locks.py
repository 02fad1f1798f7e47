"""Named lock rows for finance checks that span many rows (a fund's year, an officer's day)."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from services.disbursement.db.batch_tables import FinanceLock

# SQLite has no row locks: its first write statement takes the database's write lock. Taking it before
# reading makes finance transactions there run one at a time instead of failing on a stale snapshot.
_SQLITE_WRITER = "sqlite:writer"


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def lock_names(session: Session, names: list[str]) -> None:
    """Hold these lock rows until the transaction ends (sorted, so two callers never deadlock)."""
    wanted = sorted(set(names))
    if not wanted:
        return
    session.execute(_insert(session)(FinanceLock).values([{"name": n} for n in wanted]).on_conflict_do_nothing())
    session.execute(select(FinanceLock.name).where(FinanceLock.name.in_(wanted)).order_by(FinanceLock.name)
                    .with_for_update()).all()


def serialise_writers_on_sqlite(session: Session) -> None:
    """On SQLite, take the write lock now (a no-op write); on PostgreSQL row locks do the work."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sqlite_insert(FinanceLock).values(name=_SQLITE_WRITER).on_conflict_do_nothing())


def fund_year_lock(fund: str, year: int) -> str:
    return f"fund:{fund}:{year}"


def officer_lock(sub: str) -> str:
    return f"officer:{sub.strip().lower()}"[:255]
