"""The claimant's correction of a payee account after a failed payment."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from services.applications.api.routes import DB, ONE_CLAIM
from services.applications.api.schemas import ClaimPublic, to_public
from services.applications.service.claim_reads import history_of
from services.applications.service.payee_correction import change_payee
from shared.claims import PayeeAccount
from shared.web.openapi import json_body, problems
from shared.web.runtime import get_runtime
from shared.web.security import Applicant

router = APIRouter(tags=["claims"])


@router.put("/v1/claims/{claim_id}/payee-account", **ONE_CLAIM, responses=problems(409),
            openapi_extra=json_body(PayeeAccount.model_json_schema(ref_template="#/components/schemas/{model}")))
def put_payee_account(claim_id: str, request: Request, caller: Applicant, db: DB,
                      data: Annotated[Any, Body()] = None) -> ClaimPublic:
    """`{"account_number", "account_name", "bank"}`: only the claimant, only while the claim is payment_failed (409)."""
    row = change_payee(db_session=db, claim_id=claim_id, applicant_sub=caller.sub, raw=data,
                       pii_key=get_runtime(request).settings.grants_pii_key)
    return to_public(row, history_of(db, claim_id))
