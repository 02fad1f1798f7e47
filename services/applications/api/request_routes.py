"""The applicant's requests on their own claim: withdrawal (until batched) and review of a rejection."""

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from services.applications.api.routes import DB
from services.applications.api.schemas import ClaimPublic, to_public
from services.applications.service.claim_reads import history_of
from services.applications.service.claim_requests import request_review, withdraw_claim
from shared.web.openapi import problems
from shared.web.security import Applicant

router = APIRouter(tags=["claims"])


class Withdrawal(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str | None = Field(default=None, min_length=1, max_length=300)


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str = Field(min_length=1, max_length=300)


@router.post("/v1/claims/{claim_id}/withdrawal", response_model=ClaimPublic, responses=problems(404, 409))
def post_withdrawal(claim_id: str, caller: Applicant, db: DB,
                    body: Annotated[Withdrawal | None, Body()] = None) -> ClaimPublic:
    """Withdraw your claim until it is batched (409 after); withdrawing it again changes nothing."""
    row = withdraw_claim(db_session=db, claim_id=claim_id, applicant_sub=caller.sub, reason=body.reason if body else None)
    return to_public(row, history_of(db, claim_id))


@router.post("/v1/claims/{claim_id}/review-requests", response_model=ClaimPublic, responses=problems(404, 409))
def post_review_request(claim_id: str, caller: Applicant, db: DB, body: Annotated[ReviewRequest, Body()]) -> ClaimPublic:
    """Ask for review of your rejected claim, saying why; an officer re-runs the engine and you see the answer."""
    row = request_review(db_session=db, claim_id=claim_id, applicant_sub=caller.sub, reason=body.reason)
    return to_public(row, history_of(db, claim_id))
