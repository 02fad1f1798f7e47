"""Claim status moves fed by disbursement's events (decisions, batches, payments), taken as typed payloads.

A move only goes forward (domain.status); one that would go back (an event late or twice) is logged and
skipped, and so is a batched/unbatched event of a batch whose payment the claim has already seen (the claims
and payments topics are not ordered relative to each other). Runs in the consumer's transaction: the
consumer commits the batch once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.domain import status as st
from shared.consumer import bound_delivery
from shared.event_payloads import ClaimBatched, ClaimDecided, ClaimRedecided, ClaimUnbatched, Delivery, PaymentEvent
from shared.events import PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED
from shared.logging import get_logger

log = get_logger("applications.timeline")

PAYMENT_STATUS = {PAYMENT_ISSUED: st.PAYMENT_ISSUED, PAYMENT_SETTLED: st.PAID, PAYMENT_FAILED: st.PAYMENT_FAILED}


@dataclass(frozen=True)
class Move:
    claim_id: str
    status: str
    decision: dict | None = None
    detail: str | None = None
    redecision: bool = False  # a rejected claim decided again: the only way out of rejected
    review_state: str | None = None
    batch_id: str | None = None  # a batched/unbatched event's batch, judged for staleness
    unbatch_reason: str | None = None
    payment_batch_id: str | None = None  # a payment event's batch, recorded on the claim


def move_of(delivered: Delivery) -> Move:
    """Where the event sends its claim: decided, in or out of a batch (removed from a draft, batch rejected,
    payee corrected), or paid, issued or failed."""
    data = delivered.data
    if isinstance(data, ClaimRedecided):  # before ClaimDecided, which it extends
        outcome = data.decision.get("outcome")
        if outcome not in (st.ELIGIBLE, st.REJECTED):
            raise ValueError(f"unknown decision outcome {outcome!r}")
        why = "on review" if data.trigger == "review" else "after a parameter was set"
        detail = (f"decided again {why} by {data.redecided_by}: {outcome}, "
                  f"catalog {(data.catalog_hash or '')[:12]}")
        return Move(data.claim_id, outcome, decision=data.decision, detail=detail, redecision=True,
                    review_state="answered" if data.trigger == "review" else None)
    if isinstance(data, ClaimDecided):
        outcome = data.decision.get("outcome")
        if outcome not in (st.ELIGIBLE, st.REJECTED):
            raise ValueError(f"unknown decision outcome {outcome!r}")
        return Move(data.claim_id, outcome, decision=data.decision)
    if isinstance(data, PaymentEvent):
        failed = delivered.type == PAYMENT_FAILED
        code = data.reason_code or data.reason
        return Move(data.claim_id, PAYMENT_STATUS[delivered.type],
                    detail=f"bank reason {code}" if failed and code else None, payment_batch_id=data.batch_id)
    if isinstance(data, ClaimBatched):
        return Move(data.claim_id, st.IN_BATCH, batch_id=data.batch_id)
    if isinstance(data, ClaimUnbatched):
        return Move(data.claim_id, st.ELIGIBLE, detail=data.reason, batch_id=data.batch_id,
                    unbatch_reason=data.reason)
    raise TypeError(f"no claim move for {delivered.type}")


def apply_moves(session: Session, deliveries: list[Delivery]) -> None:
    """Apply a polled batch's events in arrival order: their claims locked in one statement, moved in memory,
    then written with one statement per kind of change. A claim that does not exist fails the batch (the
    consumer then applies its events one by one, and only the event naming it is dead-lettered)."""
    moves = [(delivered.event, move_of(delivered)) for delivered in deliveries]
    states = claims_repo.lock_states(session, sorted({move.claim_id for _, move in moves}))
    changes: list[dict] = []
    history: list[dict] = []
    for event, move in moves:
        if move.claim_id not in states:
            raise LookupError(f"no claim {move.claim_id}")
        current, payment_batch = states[move.claim_id]
        with bound_delivery(event):
            if st.is_stale_batch_move(move.batch_id, payment_batch, move.unbatch_reason):
                log.warning("applications.stale_batch_move_ignored", claim_id=move.claim_id, current=current,
                            new=move.status, batch_id=move.batch_id)
                continue
            if not st.can_move(current, move.status, redecision=move.redecision):
                log.warning("applications.status_move_ignored", claim_id=move.claim_id, current=current,
                            new=move.status)
                continue
            now = datetime.now(UTC)
            states[move.claim_id] = (move.status, move.payment_batch_id or payment_batch)
            changes.append({"claim_id": move.claim_id, "status": move.status, "updated_at": now,
                            "decision": move.decision, "review_state": move.review_state,
                            "payment_batch_id": move.payment_batch_id})
            history.append({"claim_id": move.claim_id, "status": move.status, "at": now, "event_id": event.id,
                            "detail": move.detail})
            log.info("applications.claim_status_moved", claim_id=move.claim_id, status=move.status)
    claims_repo.move_claims(session, changes)
    claims_repo.add_history(session, history)

