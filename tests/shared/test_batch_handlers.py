"""A batch handler applies a whole poll at once, yet each event's log lines and outbox rows keep that event's
correlation id (bound_delivery), as they do with a per-event handler."""

import threading

from shared.consumer import ConsumerSpec, IdempotentConsumer, bound_delivery
from shared.events import CLAIM_SUBMITTED
from shared.logging import bind_correlation_id, current_correlation_id
from shared.relay import OutboxRelay
from tests.shared.messaging_support import inbox, make_db, outbox, stage_events


def test_each_event_of_a_batch_is_handled_under_its_own_correlation_id(tmp_path, broker, topic_prefix):
    engine = make_db(f"sqlite:///{tmp_path}/svc.db")
    staged = []
    for cid in ("req-1", "req-2", "req-3"):
        bind_correlation_id(cid)
        staged += stage_events(engine, 1)
    bind_correlation_id("the-consumer's-own")
    OutboxRelay(engine, outbox, broker, topic_prefix).relay_once()  # all three on the topic: one poll takes them
    seen: list[tuple[str, str | None]] = []
    batches: list[int] = []
    done = threading.Event()

    def handle_batch(session, events) -> None:  # type: ignore[no-untyped-def]
        batches.append(len(events))
        for event in events:
            with bound_delivery(event):
                seen.append((event.id, current_correlation_id()))
        if len(seen) == 3:
            done.set()

    spec = ConsumerSpec(name="test.batch-cid", group_id=f"{topic_prefix}.batch-cid", topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: lambda session, event: None}, batch_handler=handle_batch)
    consumer = IdempotentConsumer(engine, inbox, spec, broker, topic_prefix)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        assert done.wait(30)
    finally:
        consumer.stop()
        thread.join(10)
    assert seen == list(zip(staged, ["req-1", "req-2", "req-3"]))
    assert max(batches) > 1  # the events did arrive together: the contexts were told apart inside one batch
