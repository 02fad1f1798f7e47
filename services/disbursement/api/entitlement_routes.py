"""GET /v1/entitlements (contract §4): what eligible claims are owed and where they stand, for officers to batch."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from services.disbursement.api.routes import DB, Caller
from services.disbursement.db import entitlements_repo
from services.disbursement.domain import batch_states as bs
from shared.money import CURRENCY, format_fen
from shared.web.app import decode_cursor, encode_cursor
from shared.errors import ValidationFailed
from shared.web.security import require_role

router = APIRouter(tags=["batches"])
STATUSES = (bs.ELIGIBLE, bs.IN_BATCH, bs.PAYMENT_ISSUED, bs.PAID, bs.PAYMENT_FAILED)


@router.get("/v1/entitlements")
def list_entitlements(caller: Caller, db: DB, status: str | None = None, programme: str | None = None,
                      fund: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                      cursor: str | None = None) -> dict[str, Any]:
    """Eligible decisions, oldest first; `status=eligible` is what a new batch can take."""
    require_role(caller, "officer", "admin", "auditor")
    if status is not None and status not in STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(STATUSES)}",
                               errors=[{"field": "status", "message": "unknown entitlement status"}])
    rows = entitlements_repo.page(db, status=status, programme=programme, fund=fund, after=_after(cursor),
                                  limit=limit + 1)
    page, more = rows[:limit], len(rows) > limit
    return {"items": [_item(r) for r in page],
            "next_cursor": encode_cursor(f"{page[-1].decided_at.isoformat()}|{page[-1].claim_id}") if more else None}


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    at, _, claim_id = decode_cursor(cursor).partition("|")
    try:
        return datetime.fromisoformat(at), claim_id
    except ValueError:
        raise ValidationFailed("cursor is not valid",
                               errors=[{"field": "cursor", "message": "not a cursor we issued"}]) from None


def _item(row) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"claim_id": row.claim_id, "status": row.status, "programme": row.programme,
            "jurisdiction": row.jurisdiction, "policy_id": row.policy_id, "clause": row.clause, "fund": row.fund,
            "amount": format_fen(row.amount_fen), "currency": CURRENCY, "beneficiary_ref": row.beneficiary_ref,
            "payee_ref": row.payee_ref, "decided_at": row.decided_at.isoformat()}
