"""Response shapes of the applications API (contract §3)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:  # rows come from service/, which reads them; the API only shapes them
    from services.applications.db.tables import ClaimHistoryRow, ClaimRow


class HistoryItem(BaseModel):
    status: str
    at: datetime
    detail: str | None = None


class ClaimPublic(BaseModel):
    claim_id: str
    status: str
    programme: str
    jurisdiction: str
    submitted_at: datetime
    decision: dict[str, Any] | None
    history: list[HistoryItem]
    review: str | None = None  # "requested" (a review of the rejection is asked for) or "answered"


class ClaimPage(BaseModel):
    items: list[ClaimPublic]
    next_cursor: str | None


def to_public(row: "ClaimRow", history: "list[ClaimHistoryRow]") -> ClaimPublic:
    return ClaimPublic(
        claim_id=row.claim_id, status=row.status, programme=row.programme, jurisdiction=row.jurisdiction,
        submitted_at=row.submitted_at, decision=row.decision, review=row.review_state,
        history=[HistoryItem(status=h.status, at=h.at, detail=h.detail) for h in history],
    )
