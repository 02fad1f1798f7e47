"""Response shapes of the applications API (contract §3)."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from shared.claims.documented import DecisionOut

if TYPE_CHECKING:  # rows come from service/, which reads them; the API only shapes them
    from services.applications.db.tables import ClaimHistoryRow, ClaimRow


def _with_offset(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns the UTC we wrote, naive


def rfc3339(moment: datetime) -> str:
    return _with_offset(moment).isoformat()


# Every timestamp answered is RFC 3339 with its offset, on SQLite too (issue 12 point 9).
Timestamp = Annotated[datetime, AfterValidator(_with_offset)]


class HistoryItem(BaseModel):
    status: str
    at: Timestamp
    detail: str | None = None


class ClaimPublic(BaseModel):
    claim_id: str
    status: str
    programme: str
    jurisdiction: str
    submitted_at: Timestamp
    decision: DecisionOut | None
    history: list[HistoryItem]


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


def to_public(row: "ClaimRow", history: "list[ClaimHistoryRow]") -> ClaimPublic:
    return ClaimPublic(
        claim_id=row.claim_id, status=row.status, programme=row.programme, jurisdiction=row.jurisdiction,
        submitted_at=row.submitted_at, decision=row.decision,
        history=[HistoryItem(status=h.status, at=h.at, detail=h.detail) for h in history],
    )
