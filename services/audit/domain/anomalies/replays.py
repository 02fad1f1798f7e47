"""The same event id delivered again with a different payload: the producer rewrote history, or
two producers collide on ids. The ledger keeps the first; this records the second."""

from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding


def event_payload_conflict(event_id: str, stored_digest: str, new_digest: str,
                           payment_id: str | None = None) -> Finding | None:
    """A finding when the digests (events.event_digest) differ; None for a faithful redelivery.

    Keyed on the event id and the new digest: the same conflicting copy seen twice is one finding.
    """
    if stored_digest == new_digest:
        return None
    return make_finding(
        "event_payload_conflict", "high", FUND_SUPERVISION_CLAUSE,
        f"event {event_id} redelivered with a different payload (stored {stored_digest[:12]}, "
        f"received {new_digest[:12]})",
        payment_ids=(payment_id,) if payment_id else (), key_ids=(f"event:{event_id}", f"digest:{new_digest}"))
