"""A claimant corrects the payee account of a claim whose payment failed.

The claim body keeps the new account (the bank file is rendered from it); grants.claim.payee_changed
carries only its HMAC ref. The claim stays payment_failed until disbursement accepts the change and
answers grants.claim.unbatched, which makes it eligible again for a new batch.
"""

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.db.tables import ClaimHistoryRow, ClaimRow, outbox
from services.applications.domain.status import PAYMENT_FAILED
from shared.claims import PayeeAccount, field_errors
from shared.events import APPLICATIONS_SOURCE, CLAIM_PAYEE_CHANGED, new_event
from shared.identifiers import pseudonymise
from shared.claims.names import same_name
from shared.logging import get_logger
from shared.outbox import enqueue
from shared.errors import Conflict, NotFound, ValidationFailed

log = get_logger("applications.payee_change")


def change_payee(*, db_session: Session, claim_id: str, applicant_sub: str, raw: Any, pii_key: str) -> ClaimRow:
    """Replace the payee account of the caller's own payment_failed claim; the same account again changes nothing."""
    try:
        account = PayeeAccount.model_validate(raw)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise ValidationFailed("; ".join(f"{e['field']}: {e['message']}" for e in errors)[:1000], errors=errors) from exc
    claim = claims_repo.by_claim_id(db_session, claim_id, for_update=True)
    if claim is None or claim.applicant_sub != applicant_sub:
        raise NotFound(f"no claim {claim_id} visible to you")
    if claim.status != PAYMENT_FAILED:
        raise Conflict(f"claim {claim_id} is {claim.status}; a payee account is corrected only after a failed payment",
                       status_now=claim.status)
    new_account = account.model_dump()
    if claim.body.get("payee_account") == new_account:
        return claim
    now = datetime.now(UTC)
    claim.body = {**claim.body, "payee_account": new_account}  # a new dict: JSON columns track assignment only
    claim.updated_at = now
    db_session.add(claim)
    db_session.add(ClaimHistoryRow(claim_id=claim_id, status=claim.status, at=now, detail="payee account corrected"))
    payee_ref = pseudonymise(account.account_number, pii_key)
    event = new_event(CLAIM_PAYEE_CHANGED, APPLICATIONS_SOURCE, claim_id,
                      {"claim_id": claim_id, "payee_ref": payee_ref, "changed_at": now.isoformat(),
                       "payee_name_matches": same_name(claim.body["claimant"]["name"], account.account_name)})
    enqueue(db_session, outbox, event, key=claim_id)
    log.info("applications.payee_account_corrected", claim_id=claim_id)
    return claim
