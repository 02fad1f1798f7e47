"""Internal: a payment's evidence for the audit's payment trail (a service token with scope
payments:read-evidence; no person, whatever their role)."""

from typing import Any

from fastapi import APIRouter

from services.disbursement.api.routes import DB, Caller
from services.disbursement.service.payment_evidence import evidence
from shared.auth import PAYMENTS_READ_EVIDENCE
from shared.web.security import require_scope

router = APIRouter(tags=["internal"])


@router.get("/internal/v1/payments/{payment_id}/evidence")
def payment_evidence(payment_id: str, caller: Caller, db: DB) -> dict[str, Any]:
    require_scope(caller, PAYMENTS_READ_EVIDENCE)
    return evidence(db, payment_id)
