"""Drive a filed claim through the statuses disbursement's events would give it."""

from shared.db import unit_of_work
from shared.events import (
    CLAIM_BATCHED,
    CLAIM_DECIDED,
    CLAIM_UNBATCHED,
    PAYMENT_FAILED,
    PAYMENT_ISSUED,
    PAYMENT_SETTLED,
    new_event,
)
from services.applications.messaging import claim_status_events

DECISION = {"outcome": "eligible", "amount": "1500.00", "currency": "CNY", "fund": "unemployment_insurance",
            "policy_id": "qingyang-2023", "clause": "qingyang-2023 §18", "reasons": [], "computation": [],
            "decided_at": "2024-01-02T00:00:00+00:00"}
DATA = {
    CLAIM_DECIDED: lambda cid: {"claim_id": cid, "decision": DECISION},
    CLAIM_BATCHED: lambda cid: {"claim_id": cid, "batch_id": "B1", "fund": "unemployment_insurance"},
    CLAIM_UNBATCHED: lambda cid: {"claim_id": cid, "batch_id": "B1", "reason": "batch_rejected"},
    PAYMENT_ISSUED: lambda cid: {"claim_id": cid, "payment_id": "P1"},
    PAYMENT_SETTLED: lambda cid: {"claim_id": cid, "payment_id": "P1"},
    PAYMENT_FAILED: lambda cid: {"claim_id": cid, "payment_id": "P1", "reason_code": "AC04"},
}


def deliver(engine, claim_id: str, *event_types: str, together: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Apply these events to the claim, in order, as the timeline consumer would: each in a poll of its
    own, or (together) all in one polled batch."""
    events = [new_event(t, "grants/disbursement", claim_id, DATA[t](claim_id)) for t in event_types]
    for batch in ([events] if together else [[e] for e in events]):
        with unit_of_work(engine) as session:
            claim_status_events.apply_events(session, batch)
