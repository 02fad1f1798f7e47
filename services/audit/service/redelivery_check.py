"""A redelivered event id with other content: a producer rewriting history, or ids colliding.

The shared consumer loop skips an event id it has already applied; the audit must notice when that id
comes back different, so each skipped duplicate is compared with the copy kept, in the batch's
transaction, and a difference becomes an event_payload_conflict finding. The ledger keeps the first
version either way.
"""

import json
from typing import Any

from sqlalchemy import Table
from sqlmodel import Session

from services.audit.db import received_repo, review_repo
from services.audit.domain.anomalies.replays import event_payload_conflict
from services.audit.domain.events import event_digest
from shared.events import parse_event
from shared.inbox import digest, stored_digest
from shared.logging import get_logger

log = get_logger("audit.consumer")


def note_conflicting_redelivery(session: Session, inbox: Table, consumer: str, raw: bytes) -> bool:
    """Record a finding when raw repeats an event id this consumer applied, with other content; True if it did."""
    event_id = _event_id(raw)
    if event_id is None:
        return False
    stored = stored_digest(session, inbox, consumer, event_id)
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
