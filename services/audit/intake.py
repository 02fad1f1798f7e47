"""Records every payment and batch event the audit service receives, exactly once (dedup by the consumer)."""

from datetime import UTC, datetime

from sqlmodel import Session

from services.audit.db.tables import ReceivedEvent
from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED, CloudEvent
from shared.logging import get_logger

log = get_logger("audit.intake")


def record_event(session: Session, event: CloudEvent) -> None:
    data = event.data
    session.add(ReceivedEvent(event_id=event.id, type=event.type, subject=event.subject,
                              payment_id=data.get("payment_id"), batch_id=data.get("batch_id"),
                              payload=event.model_dump(mode="json"), received_at=datetime.now(UTC)))
    log.info("audit.event_recorded", payment_id=data.get("payment_id"), batch_id=data.get("batch_id"))


HANDLERS = {t: record_event for t in (PAYMENT_ISSUED, PAYMENT_SETTLED, PAYMENT_FAILED, BATCH_APPROVED)}
