"""A claimant corrected the payee account of a claim whose payment failed (grants.claim.payee_changed),
and an officer confirms the new account before the claim may be batched again (issue 14, point 4).

The change is taken in (the decision takes the new payee ref) but leaves the claim payee_unconfirmed: a
batch never takes it. An officer's confirmation (POST /v1/claims/{id}/payee-confirmations; a claimant's
token can never give it) makes it eligible again, and applications learns it through grants.claim.unbatched
(reason payee_corrected). A change for a claim that is neither payment_failed nor awaiting confirmation
here (a replay, or a payment the bank has not failed) changes nothing.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from services.disbursement.db import batch_repo, payee_changes_repo, payments_repo
from services.disbursement.db.review_tables import PayeeChangeRow
from services.disbursement.db.tables import DecisionRow, outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.service import finance_event_data
from shared.auth import Principal
from shared.errors import Conflict, NotFound
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
    if decision.status not in (bs.PAYMENT_FAILED, bs.PAYEE_UNCONFIRMED) or decision.payee_ref == change.payee_ref:
        log.info("disbursement.payee_change_ignored", claim_id=claim_id, status=decision.status)
        return
    decision.payee_ref, decision.status = change.payee_ref, bs.PAYEE_UNCONFIRMED
    decision.payee_name_matches = change.payee_name_matches
    session.add(decision)
    payee_changes_repo.add(session, PayeeChangeRow(
        claim_id=claim_id, payee_ref=change.payee_ref, payee_name_matches=change.payee_name_matches,
        changed_at=change.changed_at or datetime.now(UTC)))
    log.info("disbursement.payee_change_awaits_confirmation", claim_id=claim_id)


def confirm_payee_change(session: Session, *, claim_id: str, officer: Principal, note: str | None) -> DecisionRow:
    """An officer confirms the claimant's new payee account: the claim is eligible for a new batch."""
    [decision] = batch_repo.lock_decisions(session, [claim_id]) or [None]
    if decision is None:
        raise NotFound(f"no decided claim {claim_id}")
    change = payee_changes_repo.unconfirmed(session, claim_id)
    if decision.status != bs.PAYEE_UNCONFIRMED or change is None:
        raise Conflict(f"claim {claim_id} is {decision.status}; there is no payee change awaiting confirmation",
                       status_now=decision.status)
    now = datetime.now(UTC)
    change.confirmed_by, change.confirmed_role, change.confirmed_at, change.note = officer.sub, officer.role, now, note
    decision.status = bs.ELIGIBLE
    session.add_all([change, decision])
    failed = payments_repo.latest_failed(session, claim_id)
    data = finance_event_data.claim_unbatched(claim_id, failed.batch_id if failed else None, "payee_corrected")
    enqueue(session, outbox, new_event(CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, claim_id, data), key=claim_id)
    log.info("disbursement.payee_change_confirmed", claim_id=claim_id, officer=officer.sub)
    return decision
