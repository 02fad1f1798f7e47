"""A claimant corrected the payee account of a claim whose payment failed (grants.claim.payee_changed).

The decision takes the new payee ref and is eligible again, ready for a new batch; applications learns it
through grants.claim.unbatched (reason payee_corrected). A change for a claim that is not payment_failed
here (a replay, or a payment the bank has not failed) changes nothing.
"""

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.tables import outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.service import finance_event_data
from shared.event_payloads import ClaimPayeeChanged
from shared.events import CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, new_event
from shared.logging import get_logger
from shared.outbox import enqueue

log = get_logger("disbursement.payee_changes")


def accept_payee_change(session: Session, change: ClaimPayeeChanged) -> None:
    claim_id = change.claim_id
    [decision] = batch_repo.lock_decisions(session, [claim_id]) or [None]
    if decision is None:
        raise LookupError(f"no decision for claim {claim_id}")
    if decision.status != bs.PAYMENT_FAILED:
        log.info("disbursement.payee_change_ignored", claim_id=claim_id, status=decision.status)
        return
    decision.payee_ref, decision.status = change.payee_ref, bs.ELIGIBLE
    session.add(decision)
    failed = payments_repo.latest_failed(session, claim_id)
    data = finance_event_data.claim_unbatched(claim_id, failed.batch_id if failed else None, "payee_corrected")
    enqueue(session, outbox, new_event(CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, claim_id, data), key=claim_id)
    log.info("disbursement.payee_corrected", claim_id=claim_id)
