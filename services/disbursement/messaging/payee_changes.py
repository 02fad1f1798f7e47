"""grants.claim.payee_changed: a claimant corrected the payee account of a claim whose payment failed.

The decision takes the new payee ref and is eligible again, ready for a new batch; applications learns it
through grants.claim.unbatched (reason payee_corrected). A change for a claim that is not payment_failed
here (a replay, or a payment the bank has not failed) changes nothing.
"""

from sqlalchemy import select
from sqlmodel import Session

from services.disbursement.db import payments_repo
from services.disbursement.db.tables import DecisionRow, outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.service import finance_event_data
from shared.events import CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, CloudEvent, new_event
from shared.logging import get_logger
from shared.outbox import enqueue

log = get_logger("disbursement.payee_changes")


def apply_payee_change(session: Session, event: CloudEvent) -> None:
    claim_id, payee_ref = event.data["claim_id"], event.data["payee_ref"]
    if not isinstance(payee_ref, str) or len(payee_ref) != 64:
        raise ValueError("payee_ref must be a 64-character HMAC reference")
    query = select(DecisionRow).where(DecisionRow.claim_id == claim_id).with_for_update()
    decision = session.execute(query).scalar_one_or_none()
    if decision is None:
        raise LookupError(f"no decision for claim {claim_id}")
    if decision.status != bs.PAYMENT_FAILED:
        log.info("disbursement.payee_change_ignored", claim_id=claim_id, status=decision.status)
        return
    decision.payee_ref, decision.status = payee_ref, bs.ELIGIBLE
    session.add(decision)
    failed = payments_repo.latest_failed(session, claim_id)
    data = finance_event_data.claim_unbatched(claim_id, failed.batch_id if failed else None, "payee_corrected")
    enqueue(session, outbox, new_event(CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, claim_id, data), key=claim_id)
    log.info("disbursement.payee_corrected", claim_id=claim_id)
