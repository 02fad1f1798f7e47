"""Named lock rows for finance checks that span many rows (a fund's year, an officer's day)."""

from sqlmodel import Session

from services.disbursement.db.batch_tables import FinanceLock
from shared import metrics
from shared.bulk import insert_or_ignore, lock_keys
from shared.subjects import subject_key

LOCKS = FinanceLock.__table__

# SQLite has no row locks: its first write statement takes the database's write lock. Taking it before
# reading makes finance transactions there run one at a time instead of failing on a stale snapshot.
_SQLITE_WRITER = "sqlite:writer"


def lock_names(session: Session, names: list[str]) -> None:
    """Hold these lock rows until the transaction ends (sorted, so two callers never deadlock)."""
    kinds = "+".join(sorted({name.split(":")[0] for name in names}))  # fund, officer, fund+officer
    with metrics.LOCK_WAIT.labels("disbursement", kinds).time():
        lock_keys(session, LOCKS, "name", names)


def serialise_writers_on_sqlite(session: Session) -> None:
    """On SQLite, take the write lock now (a no-op write); on PostgreSQL row locks do the work."""
    if session.get_bind().dialect.name == "sqlite":
        insert_or_ignore(session, LOCKS, {"name": _SQLITE_WRITER}, ["name"])


def fund_year_lock(fund: str, year: int) -> str:
    return f"fund:{fund}:{year}"


def officer_lock(sub: str) -> str:
    return f"officer:{subject_key(sub.strip())}"[:255]
