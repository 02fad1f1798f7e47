"""Officers' controls on claims (issue 14): confirming a payee account changed after a failed payment,
re-deciding rejected claims (one on review, or in bulk once a parameter is set)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from services.disbursement.api.routes import DB, Caller
from services.disbursement.service.payee_change_acceptance import confirm_payee_change
from shared.web.security import require_role

router = APIRouter(tags=["claims"])


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PayeeConfirmation(_Request):
    note: str | None = Field(default=None, min_length=1, max_length=500)


@router.post("/v1/claims/{claim_id}/payee-confirmations")
def post_payee_confirmation(claim_id: str, caller: Caller, db: DB,
                            body: Annotated[PayeeConfirmation | None, Body()] = None) -> dict[str, Any]:
    """An officer confirms the claimant's new payee account (409 unless one awaits confirmation)."""
    require_role(caller, "officer")
    decision = confirm_payee_change(db, claim_id=claim_id, officer=caller, note=body.note if body else None)
    return {"claim_id": decision.claim_id, "status": decision.status, "payee_ref": decision.payee_ref,
            "confirmed_by": caller.sub}
