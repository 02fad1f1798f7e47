"""The audit's one consumer: payment and batch events into the ledger (services.audit.intake)."""

from collections.abc import Callable

from services.audit import intake
from services.audit.config import Settings
from shared.consumer import ConsumerSpec

CONSUMER = "audit.ledger"


def ledger_consumer_spec(settings: Settings, on_batch_committed: Callable[[], None] | None = None) -> ConsumerSpec:
    return ConsumerSpec(name=CONSUMER, group_id=f"{settings.grants_topic_prefix}.audit",
                        topic_suffixes=["payments.v1", "batches.v1"], handlers=intake.HANDLERS,
                        on_batch_committed=on_batch_committed)
