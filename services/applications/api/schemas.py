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
    # the status in plain words, in the language of Accept-Language (GET /v1/claims/{id} only)
    explanation: dict[str, Any] | None = None


class ClaimPage(BaseModel):
    items: list[ClaimPublic]
    next_cursor: str | None


def to_public(row: "ClaimRow", history: "list[ClaimHistoryRow]",
              explanation: dict[str, Any] | None = None) -> ClaimPublic:
    return ClaimPublic(explanation=explanation,
        claim_id=row.claim_id, status=row.status, programme=row.programme, jurisdiction=row.jurisdiction,
        submitted_at=row.submitted_at, decision=row.decision,
        history=[HistoryItem(status=h.status, at=h.at, detail=h.detail) for h in history],
    )
