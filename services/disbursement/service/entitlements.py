"""What eligible claims are owed and where they stand (GET /v1/entitlements), for officers to batch."""

from datetime import datetime

from sqlmodel import Session

from services.disbursement.db import entitlements_repo
from services.disbursement.db.tables import DecisionRow


def entitlements_page(session: Session, *, status: str | None, programme: str | None, fund: str | None,
                      after: tuple[datetime, str] | None, limit: int) -> list[DecisionRow]:
    """Up to `limit` eligible decisions, oldest first, after the (decided_at, claim_id) position `after`."""
    return entitlements_repo.page(session, status=status, programme=programme, fund=fund, after=after, limit=limit)
