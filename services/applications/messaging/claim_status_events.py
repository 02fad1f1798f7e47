"""The applications consumer: disbursement's decision, batch and payment events move the claims they name.

Each event's data is read into its typed payload (shared.event_payloads) and the polled batch handed to
service.claim_timeline; an event that does not read fails the batch, which the consumer then applies one
event at a time so that only that event is dead-lettered.
"""

from sqlmodel import Session

from services.applications.config import Settings
from services.applications.service import claim_timeline
from shared.consumer import ConsumerSpec
from shared.event_payloads import delivery
from shared.events import (CLAIM_BATCHED, CLAIM_DECIDED, CLAIM_REDECIDED, CLAIM_UNBATCHED, PAYMENT_FAILED, PAYMENT_ISSUED,
                           PAYMENT_SETTLED, CloudEvent)

CONSUMED = (CLAIM_DECIDED, CLAIM_REDECIDED, CLAIM_BATCHED, CLAIM_UNBATCHED, PAYMENT_ISSUED, PAYMENT_SETTLED,
            PAYMENT_FAILED)


def apply_events(session: Session, events: list[CloudEvent]) -> None:
    claim_timeline.apply_moves(session, [delivery(event) for event in events])


def apply_event(session: Session, event: CloudEvent) -> None:
    apply_events(session, [event])


def consumer_spec(settings: Settings) -> ConsumerSpec:
    return ConsumerSpec(name="applications.timeline", group_id=f"{settings.grants_topic_prefix}.applications",
                        topic_suffixes=["claims.v1", "payments.v1"], handlers=dict.fromkeys(CONSUMED, apply_event),
                        batch_handler=apply_events)
