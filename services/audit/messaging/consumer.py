"""The audit consumer: the shared idempotent loop, plus a look at every redelivered event id.

The shared loop skips an event id it has already applied without looking at the payload. The audit
must notice when that id comes back with different content (a producer rewriting history, or ids
colliding), so before the loop skips, the payload is compared with the one recorded and a difference
becomes an event_payload_conflict finding. The ledger keeps the first version either way.
"""

from typing import Any

from services.audit.db import received_repo, review_repo
from services.audit.domain.anomalies.replays import event_payload_conflict
from services.audit.domain.events import event_digest
from shared.consumer import IdempotentConsumer
from shared.db import unit_of_work
from shared.events import parse_event
from shared.inbox import digest, stored_digest
from shared.logging import get_logger
from shared.web.runtime import Runtime
from shared.workers import WorkerSet

log = get_logger("audit.consumer")


class AuditConsumer(IdempotentConsumer):
    def process(self, message) -> None:  # type: ignore[no-untyped-def]
        self.note_conflicting_redelivery(message.value)
        super().process(message)

    def note_conflicting_redelivery(self, raw: bytes) -> bool:
        """Record a finding when raw repeats an applied event id with other content; True if it did."""
        try:
            event = parse_event(raw)
        except ValueError:
            return False  # the shared loop dead-letters it
        with unit_of_work(self.engine) as session:
            stored = stored_digest(session, self.inbox, self.spec.name, event.id)
            if stored is None or stored == digest(raw):
                return False  # first delivery, or the very same bytes again
            # Bytes differ; compare canonical JSON, so a re-serialisation of the same event is no conflict.
            kept = received_repo.payload_of(session, event.id)
            if kept is not None:
                stored, new = event_digest(kept), event_digest(event.model_dump(mode="json"))
            else:
                new = digest(raw)  # never recorded (dead-lettered): only the raw digests exist
            finding = event_payload_conflict(event.id, stored, new, _payment_id(kept or event.data))
            if finding is None:
                return False
            review_repo.store_findings(session, [finding])
        log.warning("audit.event_payload_conflict", payment_id=finding.payment_ids[0] if finding.payment_ids else None)
        return True


class AuditRuntime(Runtime):
    """The shared runtime, with the audit consumer in place of the plain idempotent one."""

    def build_workers(self) -> WorkerSet:
        workers = super().build_workers()
        workers.workers = [AuditConsumer(w.engine, w.inbox, w.spec, w.bootstrap, w.prefix)
                           if isinstance(w, IdempotentConsumer) else w for w in workers.workers]
        return workers


def _payment_id(doc: dict[str, Any]) -> str | None:
    data = doc.get("data", doc)
    value = data.get("payment_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
