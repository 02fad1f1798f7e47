"""The control topic's consumer in every service: serves replay requests addressed to this service as a
producer, and notes the producer's answer to a request this service made as a consumer (shared.gap_detection).

A request marks the topic's outbox rows from the requested sequence for re-sending (the relay publishes them
again, with their original sequence and bytes) and stages a grants.stream.replayed answer naming the last
sequence handed out: the consumer's open log-reset break heals once everything up to it has arrived.
"""

from sqlalchemy import Table
from sqlalchemy.orm import Session

from shared.consumer import ConsumerSpec
from shared.events import CONTROL_TOPIC, STREAM_REPLAY_REQUESTED, STREAM_REPLAYED, CloudEvent, new_event
from shared.logging import get_logger
from shared.outbox import enqueue
from shared.stream_repo import answer_breaks, mark_for_replay
from shared.stream_tables import tables_of

log = get_logger("shared.stream_control")


def control_spec(service: str, prefix: str, outbox: Table, inbox: Table) -> ConsumerSpec:
    source = f"grants/{service}"
    tables = tables_of(inbox.metadata)

    def on_request(session: Session, event: CloudEvent) -> None:
        d = event.data
        if d.get("source") != source:
            return  # addressed to another producer
        first = int(d["from_sequence"])
        last, first_kept = mark_for_replay(session, outbox, d["topic"], first)
        if last >= first and first_kept != first:
            log.error("stream.replay_incomplete", topic=d["topic"], from_sequence=first, first_kept=first_kept,
                      consumer=d.get("consumer"))  # pruned from the outbox already (its retention, docs)
        log.warning("stream.replay_served", topic=d["topic"], from_sequence=first, through_sequence=last,
                    consumer=d.get("consumer"))
        answer = {**d, "through_sequence": last}
        enqueue(session, outbox, new_event(STREAM_REPLAYED, source, event.subject or "", answer),
                key=f"{source}/{d['topic']}")

    def on_replayed(session: Session, event: CloudEvent) -> None:
        d = event.data
        if tables is not None:
            answer_breaks(session, tables, str(d.get("consumer")), str(d.get("source")), str(d.get("topic")),
                          int(d["through_sequence"]))

    return ConsumerSpec(name=f"{service}.stream_control", group_id=f"{prefix}.{service}.stream_control",
                        topic_suffixes=[CONTROL_TOPIC],
                        handlers={STREAM_REPLAY_REQUESTED: on_request, STREAM_REPLAYED: on_replayed})
