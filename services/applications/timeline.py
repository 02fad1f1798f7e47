"""Claim status moves fed by events from disbursement (decisions, batches, payments)."""

from datetime import UTC, datetime

from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.db.tables import ClaimHistoryRow
from services.applications.domain import status as st
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


def apply_decision(session: Session, event: CloudEvent) -> None:
    decision = event.data["decision"]
    outcome = decision["outcome"]
    if outcome not in (st.ELIGIBLE, st.REJECTED):
        raise ValueError(f"unknown decision outcome {outcome!r}")
    _move(session, event, event.data["claim_id"], outcome, decision=decision)


def apply_payment(session: Session, event: CloudEvent) -> None:
    _move(session, event, event.data["claim_id"], PAYMENT_STATUS[event.type],
          detail=_failure_reason(event.data) if event.type == PAYMENT_FAILED else None)


def apply_batching(session: Session, event: CloudEvent) -> None:
    """In a batch (in_batch), or out of it again (eligible): removed from a draft, batch rejected, payee corrected."""
    batched = event.type == CLAIM_BATCHED
    _move(session, event, event.data["claim_id"], st.IN_BATCH if batched else st.ELIGIBLE,
          detail=None if batched else event.data.get("reason"))


def _failure_reason(data: dict) -> str | None:
    code = data.get("reason_code") or data.get("reason")
    return f"bank reason {code}" if code else None


def _move(session: Session, event: CloudEvent, claim_id: str, new_status: str, *, decision: dict | None = None,
          detail: str | None = None) -> None:
    claim = claims_repo.by_claim_id(session, claim_id, for_update=True)
    if claim is None:
        raise LookupError(f"no claim {claim_id}")
    if not st.can_move(claim.status, new_status):
        log.warning("applications.status_move_ignored", claim_id=claim_id, current=claim.status, new=new_status)
        return
    now = datetime.now(UTC)
    claim.status, claim.updated_at = new_status, now
    if decision is not None:
        claim.decision = decision
    session.add(claim)
    session.add(ClaimHistoryRow(claim_id=claim_id, status=new_status, at=now, event_id=event.id, detail=detail))
    log.info("applications.claim_status_moved", claim_id=claim_id, status=new_status)


HANDLERS = {CLAIM_DECIDED: apply_decision, PAYMENT_ISSUED: apply_payment, PAYMENT_SETTLED: apply_payment,
            PAYMENT_FAILED: apply_payment, CLAIM_BATCHED: apply_batching, CLAIM_UNBATCHED: apply_batching}
