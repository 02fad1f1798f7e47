"""The disbursement consumer's batch handler for claims.v1: submissions decided together, the rest in turn.

Events are applied in arrival order; each run of consecutive grants.claim.submitted is decided by one
decide_many call (one lock statement, one history read, one outbox insert for the run).
"""

from collections.abc import Callable

from sqlmodel import Session

from services.disbursement.service.claim_deciding import Decider
from shared.consumer import bound_delivery
from shared.events import CLAIM_SUBMITTED, CloudEvent

Handler = Callable[[Session, CloudEvent], None]


def claim_events_handler(decider: Decider, others: dict[str, Handler]) -> Callable[[Session, list[CloudEvent]], None]:
    def apply(session: Session, events: list[CloudEvent]) -> None:
        run: list[CloudEvent] = []
        for event in events:
            if event.type == CLAIM_SUBMITTED:
                run.append(event)
                continue
            if run:
                decider.decide_events(session, run)
                run = []
            with bound_delivery(event):
                others[event.type](session, event)
        if run:
            decider.decide_events(session, run)

    return apply
