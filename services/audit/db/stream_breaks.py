"""The ledger consumer's open stream breaks: stretches of a producer's events noticed lost and not yet
received again (shared.gap_detection keeps them; the reconciliation report shows them)."""

from sqlalchemy.orm import Session

from services.audit.db.tables import inbox
from shared.stream_repo import open_breaks
from shared.stream_tables import tables_of


def open_stream_breaks(session: Session) -> list:  # type: ignore[type-arg]
    tables = tables_of(inbox.metadata)
    return open_breaks(session, tables) if tables is not None else []
