"""The disbursement consumer of claims.v1: submissions decided together, payee changes in turn.

Each event's data is read into its typed payload (shared.event_payloads). Events are applied in arrival
order; each run of consecutive grants.claim.submitted is decided by one Decider call (one lock statement,
one history read, one outbox insert for the run). Claim bodies are fetched before the transaction opens.
"""

from pydantic import ValidationError
from sqlmodel import Session

from services.disbursement.config import Settings
from services.disbursement.messaging.payee_changes import CLAIMANT_HANDLERS
from services.disbursement.service.claim_deciding import Decider
from shared.consumer import ConsumerSpec, bound_delivery
from shared.event_payloads import ClaimSubmitted, Delivery, delivery
from shared.events import CLAIM_SUBMITTED, CloudEvent


def consumer_spec(settings: Settings, decider: Decider) -> ConsumerSpec:
    def prefetch(events: list[CloudEvent]) -> None:
        claim_ids = []
        for event in events:
            if event.type == CLAIM_SUBMITTED:
                try:
                    claim_ids.append(ClaimSubmitted.model_validate(event.data).claim_id)
                except ValidationError:
                    pass  # poison: dead-lettered when the consumer applies it
        decider.prefetch(claim_ids)

    def decide(session: Session, event: CloudEvent) -> None:
        decider.decide_submissions(session, [delivery(event)])

    def apply(session: Session, events: list[CloudEvent]) -> None:
        run: list[Delivery[ClaimSubmitted]] = []
        for event in events:
            if event.type == CLAIM_SUBMITTED:
                run.append(delivery(event))
                continue
            if run:
                decider.decide_submissions(session, run)
                run = []
            with bound_delivery(event):
                CLAIMANT_HANDLERS[event.type](session, event)
        if run:
            decider.decide_submissions(session, run)

    return ConsumerSpec(name="disbursement.decider", group_id=f"{settings.grants_topic_prefix}.disbursement",
                        topic_suffixes=["claims.v1"], handlers={CLAIM_SUBMITTED: decide, **CLAIMANT_HANDLERS},
                        batch_handler=apply, prefetch=prefetch)
