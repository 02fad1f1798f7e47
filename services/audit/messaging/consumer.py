"""The audit consumer: the shared idempotent loop, plus a look at every redelivered event id.

The shared loop skips an event id it has already applied. The audit must notice when that id comes back
with different content (a producer rewriting history, or ids colliding), so for every skipped duplicate
the payload is compared with the one recorded, in the same transaction, and a difference becomes an
event_payload_conflict finding. The ledger keeps the first version either way.
"""

import json
from typing import Any

from sqlalchemy.orm import Session

from services.audit.db import received_repo, review_repo
from services.audit.domain.anomalies.replays import event_payload_conflict
from services.audit.domain.events import event_digest
from shared.consumer import IdempotentConsumer
from shared.events import CloudEvent, parse_event
from shared.inbox import digest, stored_digest
from shared.logging import get_logger

log = get_logger("audit.consumer")


class AuditConsumer(IdempotentConsumer):
    def on_duplicate(self, session: Session, message, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        self.note_conflicting_redelivery(session, message.value)

    def note_conflicting_redelivery(self, session: Session, raw: bytes) -> bool:
        """Record a finding when raw repeats an applied event id with other content; True if it did."""
        event_id = _event_id(raw)
        if event_id is None:
            return False
        stored = stored_digest(session, self.inbox, self.spec.name, event_id)
        if stored is None or stored == digest(raw):
            return False  # the very same bytes again
        try:
            event = parse_event(raw).model_dump(mode="json")
        except ValueError:
            return False  # a broken copy of an applied event: skipped by id
        # Bytes differ; compare canonical JSON, so a re-serialisation of the same event is no conflict.
        kept = received_repo.payload_of(session, event_id)
        if kept is not None:
            stored, new = event_digest(kept), event_digest(event)
        else:
            new = digest(raw)  # never recorded (dead-lettered): only the raw digests exist
        finding = event_payload_conflict(event_id, stored, new, _payment_id(kept or event))
        if finding is None:
            return False
        review_repo.store_findings(session, [finding])
        log.warning("audit.event_payload_conflict", payment_ids=list(finding.payment_ids))
        return True


def _event_id(raw: bytes) -> str | None:
    """The id of a JSON event, read without validating the rest (the shared loop does that)."""
    try:
        doc = json.loads(raw)
    except ValueError:  # also UnicodeDecodeError
        return None
    event_id = doc.get("id") if isinstance(doc, dict) else None
    return event_id if isinstance(event_id, str) and event_id else None


def _payment_id(event: dict[str, Any]) -> str | None:
    data = event.get("data")
    value = data.get("payment_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
