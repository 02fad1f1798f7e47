"""The audit consumer: the shared idempotent loop, plus a look at every redelivered event id
(service.redelivery_check compares it with the copy kept and records a finding when they differ)."""

from sqlmodel import Session

from services.audit.service.redelivery_check import note_conflicting_redelivery
from shared.consumer import IdempotentConsumer
from shared.events import CloudEvent


class AuditConsumer(IdempotentConsumer):
    def on_duplicate(self, session: Session, message, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        self.note_conflicting_redelivery(session, message.value)

    def note_conflicting_redelivery(self, session: Session, raw: bytes) -> bool:
        return note_conflicting_redelivery(session, self.inbox, self.spec.name, raw)
