"""The audit's one consumer: payment and batch events into the ledger (services.audit.service.ledger_ingest)."""

from collections.abc import Callable

from services.audit.service import ledger_ingest
from services.audit.config import Settings
from shared.consumer import ConsumerSpec

CONSUMER = "audit.ledger"
# Ingest is set-based (statements per batch, not per event), so bigger batches mean fewer round trips
# and commits; a partition's fetch must hold a whole batch (an issued event is ~1.3 KB).
MAX_POLL_RECORDS, MAX_PARTITION_FETCH_BYTES = 2000, 4 << 20


def ledger_consumer_spec(settings: Settings, on_batch_committed: Callable[[], None] | None = None) -> ConsumerSpec:
    return ConsumerSpec(name=CONSUMER, group_id=f"{settings.grants_topic_prefix}.audit",
                        topic_suffixes=["payments.v1", "batches.v1"], handlers=ledger_ingest.HANDLERS,
                        batch_handler=ledger_ingest.ingest_batch, on_batch_committed=on_batch_committed,
                        max_poll_records=MAX_POLL_RECORDS, max_partition_fetch_bytes=MAX_PARTITION_FETCH_BYTES)
