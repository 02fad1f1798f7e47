"""What an applicant asks of their own claim (issue 14, point 3): to withdraw it until it is batched, and a
review of its rejection, with a reason. Both are in the claim's history.

A withdrawal is announced (grants.claim.withdrawn), so disbursement stops counting the claim's grant. A
review request is answered by an officer re-running the engine (disbursement POST /v1/claims/{id}/redecisions):
officers find the requests with GET /v1/claims?review=requested. Its reason is free text an applicant typed:
it stays in this service's history and is never put in an event or a log line.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.db.tables import ClaimHistoryRow, ClaimRow, outbox
from services.applications.domain import status as st
from shared.errors import Conflict, NotFound
from shared.events import APPLICATIONS_SOURCE, CLAIM_WITHDRAWN, new_event
from shared.logging import get_logger
from shared.outbox import enqueue

log = get_logger("applications.claim_requests")
REQUESTED = "requested"


def withdraw_claim(*, db_session: Session, claim_id: str, applicant_sub: str, reason: str | None) -> ClaimRow:
    """Withdraw the caller's own claim while it is submitted, eligible or rejected (409 once batched)."""
    claim = _own(db_session, claim_id, applicant_sub)
    if claim.status == st.WITHDRAWN:
        return claim
    if claim.status not in st.WITHDRAWABLE:
        raise Conflict(f"claim {claim_id} is {claim.status}; a claim can be withdrawn only until it is batched",
                       status_now=claim.status)
    now = datetime.now(UTC)
    claim.status, claim.updated_at = st.WITHDRAWN, now
    db_session.add(claim)
    db_session.add(ClaimHistoryRow(claim_id=claim_id, status=st.WITHDRAWN, at=now,
                                   detail=f"withdrawn by the applicant: {reason}" if reason else "withdrawn by the applicant"))
    enqueue(db_session, outbox, new_event(CLAIM_WITHDRAWN, APPLICATIONS_SOURCE, claim_id,
                                          {"claim_id": claim_id, "withdrawn_at": now.isoformat()}), key=claim_id)
    log.info("applications.claim_withdrawn", claim_id=claim_id)
    return claim


def request_review(*, db_session: Session, claim_id: str, applicant_sub: str, reason: str) -> ClaimRow:
    """Ask for review of the caller's own rejected claim (409 otherwise, or while a request is open)."""
    claim = _own(db_session, claim_id, applicant_sub)
    if claim.status != st.REJECTED:
        raise Conflict(f"claim {claim_id} is {claim.status}; only a rejection can be reviewed", status_now=claim.status)
    if claim.review_state == REQUESTED:
        raise Conflict(f"a review of claim {claim_id} is already requested; an officer will answer it")
    now = datetime.now(UTC)
    claim.review_state, claim.updated_at = REQUESTED, now
    db_session.add(claim)
    db_session.add(ClaimHistoryRow(claim_id=claim_id, status=claim.status, at=now, detail=f"review requested: {reason}"))
    log.info("applications.review_requested", claim_id=claim_id)
    return claim


def _own(session: Session, claim_id: str, applicant_sub: str) -> ClaimRow:
    claim = claims_repo.by_claim_id(session, claim_id, for_update=True)
    if claim is None or claim.applicant_sub != applicant_sub:
        raise NotFound(f"no claim {claim_id} visible to you")
    return claim
