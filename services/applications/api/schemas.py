"""Response shapes of the applications API (contract §3)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from shared.claims.documented import DecisionOut

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
    decision: DecisionOut | None
    history: list[HistoryItem]
    review: str | None = None  # "requested" (a review of the rejection is asked for) or "answered"
    # the status in plain words, in the language of Accept-Language (GET /v1/claims/{id} only)
    explanation: dict[str, Any] | None = None


class ClaimPage(BaseModel):
    items: list[ClaimPublic]
    next_cursor: str | None


class ClaimBodyOut(BaseModel):
    """A claim's full body, for the service that acts on it (identifiers never travel in events)."""

    claim_id: str
    status: str
    submitted_at: str = Field(description="RFC 3339, with its offset")
    body: dict[str, Any] = Field(description="the body as filed (POST /v1/claims)")


class ClaimBodies(BaseModel):
    items: list[ClaimBodyOut]
    missing: list[str] = Field(description="asked-for ids this service does not hold")


def to_public(row: "ClaimRow", history: "list[ClaimHistoryRow]",
              explanation: dict[str, Any] | None = None) -> ClaimPublic:
    extra = {"explanation": explanation} if explanation is not None else {}  # unset elsewhere: left out
    return ClaimPublic(
        claim_id=row.claim_id, status=row.status, programme=row.programme, jurisdiction=row.jurisdiction,
        submitted_at=row.submitted_at, decision=row.decision, review=row.review_state,
        history=[HistoryItem(status=h.status, at=h.at, detail=h.detail) for h in history], **extra,
    )
