"""GET /v1/entitlements (contract §4): what eligible claims are owed and where they stand, for officers to batch."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter

from services.disbursement.api.responses import EntitlementPage
from services.disbursement.api.routes import DB
from services.disbursement.domain import batch_states as bs
from services.disbursement.service.entitlements import entitlements_page
from shared.errors import ValidationFailed
from shared.money import CURRENCY, format_fen
from shared.pagination import decode_cursor, page_of
from shared.web.query import Cursor, Limit
from shared.web.security import Staff

router = APIRouter(tags=["batches"])
STATUSES = (bs.ELIGIBLE, bs.IN_BATCH, bs.PAYMENT_ISSUED, bs.PAID, bs.PAYMENT_FAILED, bs.PAYEE_UNCONFIRMED,
            bs.REJECTED_DECISION, bs.WITHDRAWN)


@router.get("/v1/entitlements", response_model=EntitlementPage)
def list_entitlements(caller: Staff, db: DB, status: str | None = None, programme: str | None = None,
                      fund: str | None = None, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Eligible decisions, oldest first; `status=eligible` is what a new batch can take, and any status may be
    asked for, `rejected` included (those decisions owe nothing: amount 0.00, with their reasons)."""
    if status is not None and status not in STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(STATUSES)}",
                               errors=[{"field": "status", "message": "unknown entitlement status"}])
    rows = entitlements_page(db, status=status, programme=programme, fund=fund,
                             after=decode_cursor(cursor, datetime, str), limit=limit + 1)
    page, next_cursor = page_of(rows, limit, lambda row: (row.decided_at, row.claim_id))
    return {"items": [_item(r) for r in page], "next_cursor": next_cursor}


def _item(row) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {"claim_id": row.claim_id, "status": row.status, "programme": row.programme,
            "jurisdiction": row.jurisdiction, "policy_id": row.policy_id, "clause": row.clause, "fund": row.fund,
            "amount": format_fen(row.amount_fen), "currency": CURRENCY, "beneficiary_ref": row.beneficiary_ref,
            "payee_ref": row.payee_ref, "decided_at": row.decided_at.isoformat(),
            "reasons": row.document.get("reasons", [])}
