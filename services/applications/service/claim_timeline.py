"""Claim status moves fed by events from disbursement (decisions, batches, payments)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.domain import status as st
from shared.consumer import bound_delivery
from shared.events import (
    CLAIM_BATCHED,
    CLAIM_DECIDED,
    CLAIM_UNBATCHED,
    PAYMENT_FAILED,
    PAYMENT_ISSUED,
    PAYMENT_SETTLED,
    CloudEvent,
)
from shared.logging import get_logger

log = get_logger("applications.timeline")

PAYMENT_STATUS = {PAYMENT_ISSUED: st.PAYMENT_ISSUED, PAYMENT_SETTLED: st.PAID, PAYMENT_FAILED: st.PAYMENT_FAILED}


@dataclass(frozen=True)
class Move:
    claim_id: str
    status: str
    decision: dict | None = None
    detail: str | None = None


def decision_move(event: CloudEvent) -> Move:
    decision = event.data["decision"]
    outcome = decision["outcome"]
    if outcome not in (st.ELIGIBLE, st.REJECTED):
        raise ValueError(f"unknown decision outcome {outcome!r}")
    return Move(event.data["claim_id"], outcome, decision=decision)


def payment_move(event: CloudEvent) -> Move:
    return Move(event.data["claim_id"], PAYMENT_STATUS[event.type],
                detail=_failure_reason(event.data) if event.type == PAYMENT_FAILED else None)


def batching_move(event: CloudEvent) -> Move:
    """In a batch (in_batch), or out of it again (eligible): removed from a draft, batch rejected, payee corrected."""
    batched = event.type == CLAIM_BATCHED
    return Move(event.data["claim_id"], st.IN_BATCH if batched else st.ELIGIBLE,
                detail=None if batched else event.data.get("reason"))


def _failure_reason(data: dict) -> str | None:
    code = data.get("reason_code") or data.get("reason")
    return f"bank reason {code}" if code else None


MOVES: dict[str, Callable[[CloudEvent], Move]] = {
    CLAIM_DECIDED: decision_move, PAYMENT_ISSUED: payment_move, PAYMENT_SETTLED: payment_move,
    PAYMENT_FAILED: payment_move, CLAIM_BATCHED: batching_move, CLAIM_UNBATCHED: batching_move}


def apply_events(session: Session, events: list[CloudEvent]) -> None:
    """Apply a polled batch's events in arrival order: their claims locked in one statement, moved in memory,
    then written with one statement per kind of change. A claim that does not exist fails the batch (the
    consumer then applies its events one by one, and only the event naming it is dead-lettered)."""
    moves = [(event, MOVES[event.type](event)) for event in events]
    statuses = claims_repo.lock_statuses(session, sorted({move.claim_id for _, move in moves}))
    changes: list[dict] = []
    history: list[dict] = []
    for event, move in moves:
        current = statuses.get(move.claim_id)
        if current is None:
            raise LookupError(f"no claim {move.claim_id}")
        with bound_delivery(event):
            if not st.can_move(current, move.status):
                log.warning("applications.status_move_ignored", claim_id=move.claim_id, current=current,
                            new=move.status)
                continue
            now = datetime.now(UTC)
            statuses[move.claim_id] = move.status
            changes.append({"claim_id": move.claim_id, "status": move.status, "updated_at": now,
                            "decision": move.decision})
            history.append({"claim_id": move.claim_id, "status": move.status, "at": now, "event_id": event.id,
                            "detail": move.detail})
            log.info("applications.claim_status_moved", claim_id=move.claim_id, status=move.status)
    claims_repo.move_claims(session, changes)
    claims_repo.add_history(session, history)


def apply_event(session: Session, event: CloudEvent) -> None:
    apply_events(session, [event])


HANDLERS = dict.fromkeys(MOVES, apply_event)
