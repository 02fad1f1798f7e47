"""An applicant withdrew a claim before it was batched (grants.claim.withdrawn): its decision is withdrawn
and its grant stops counting against caps and exclusivity, so a later claim is judged as if it never was.

Applications allows a withdrawal only before batching; a withdrawal that reaches a claim a maker batched in
the meantime (the two crossed) changes nothing here and is logged: the batch's officers see the claim as usual.
"""

from sqlmodel import Session

from services.disbursement.db import batch_repo, grants_repo
from services.disbursement.domain import batch_states as bs
from shared.event_payloads import ClaimWithdrawn
from shared.logging import get_logger

log = get_logger("disbursement.withdrawals")
WITHDRAWABLE = (bs.ELIGIBLE, bs.REJECTED_DECISION)


def withdraw(session: Session, withdrawn: ClaimWithdrawn) -> None:
    claim_id = withdrawn.claim_id
    [decision] = batch_repo.lock_decisions(session, [claim_id]) or [None]
    if decision is None:
        raise LookupError(f"no decision for claim {claim_id}")
    if decision.status not in WITHDRAWABLE:
        log.warning("disbursement.withdrawal_ignored", claim_id=claim_id, status=decision.status)
        return
    decision.status = bs.WITHDRAWN
    session.add(decision)
    grants_repo.deactivate(session, claim_id)
    log.info("disbursement.claim_withdrawn", claim_id=claim_id)
