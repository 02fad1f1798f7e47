"""The hooks the relay and consumer loops call (a line each), so that what they do is measured (shared.metrics)
and traced (shared.tracing) without either loop knowing how. Nothing here raises into a loop."""

import time
from collections.abc import Sequence
from typing import Any

from shared import metrics, tracing
from shared.events import CloudEvent, topic
from shared.outbox import backlog


def relay_sending() -> int:
    """The moment a relay pass starts sending (its publish spans start here)."""
    return time.time_ns()


def relay_published(relay: Any, rows: Sequence[Any], started_ns: int) -> None:
    """After a relay pass marked rows published."""
    def topic_of(suffix: str) -> str:
        return topic(relay.prefix, suffix)

    metrics.outbox_published(relay.service, (topic_of(row.topic_suffix) for row in rows))
    tracing.record_publishes(relay.service, rows, topic_of, started_ns, time.time_ns())


def relay_passed(relay: Any) -> None:
    """After every successful relay pass (sent or idle): the backlog, read every few seconds."""
    metrics.outbox_backlog(relay.service, relay, lambda: backlog(relay.engine, relay.outbox))


def consumer_polled(consumer: Any) -> None:
    """After a consumer's poll was applied and committed: its lag per partition, every few seconds."""
    metrics.consumer_lag(consumer.spec.name, consumer._consumer)


def events_applied(consumer: Any, events: Sequence[CloudEvent]) -> None:
    """After the transaction that applied these (new, not duplicate) events committed."""
    metrics.events_applied(consumer.spec.name, events)


def dead_lettered(consumer: Any, event: CloudEvent | None) -> None:
    metrics.dead_lettered(consumer.spec.name, event.type if event is not None else None)


def consuming(consumer: Any, events: Sequence[CloudEvent]):  # type: ignore[no-untyped-def]
    """The span of a batch's prefetch and transaction (a context manager)."""
    return tracing.consuming(consumer.spec.name, events)


handling = tracing.handling  # one event's span inside a batch: `with observe.handling(event):`
