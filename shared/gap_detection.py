"""A consumer notices a lost stretch of a producer's sequence and asks for it again (docs/operations.md).

After each partition's batch is applied (before its offset is committed) the consumer notes, in its own
database, every (producer, topic, sequence) it received and the next offset of the partition. Every few
seconds it then looks for two kinds of loss:

- a gap: a sequence missing below one received, still missing after a grace period (the partitions of a
  topic arrive interleaved, so a later number may come first for a moment);
- a log reset: the partition's log ends before the offset already applied (an in-memory broker restarted,
  a topic recreated): the consumer seeks to the log's beginning and, since whatever followed its
  contiguous mark may be gone with no later number to reveal it, asks each producer for everything after.

Either opens a break (metric grants_stream_breaks_total, log line stream.break_detected; the audit shows
open ones in its reconciliation report) and stages a grants.stream.replay_requested event on the control
topic; the producer re-sends the stretch from its outbox (shared.stream_control). The break heals when
every number of it has arrived; a request with no effect is made again. Re-sent events are duplicates to
whatever had them already: consumers dedup on the event id.
"""

import json
import time
from collections.abc import Sequence
from datetime import UTC, datetime

from prometheus_client import Counter
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Table
from sqlalchemy.engine import Engine

from shared import metrics
from shared import stream_repo as repo
from shared.db import unit_of_work
from shared.events import CONTROL_TOPIC, STREAM_REPLAY_REQUESTED, CloudEvent, new_event
from shared.logging import get_logger
from shared.outbox import enqueue
from shared.stream_tables import StreamTables, tables_of

log = get_logger("shared.gap_detection")
BREAKS = Counter("grants_stream_breaks_total", "lost stretches of a producer's sequence a consumer noticed",
                 ["service", "consumer", "topic", "kind"])
HEALED = Counter("grants_stream_breaks_healed_total", "lost stretches received again after a replay",
                 ["service", "consumer", "topic"])
GAP, LOG_RESET = "gap", "log_reset"


class StreamSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GRANTS_STREAM_", env_file=".env", extra="ignore")
    check_seconds: float = 2.0  # how often a consumer looks for a lost stretch
    gap_grace_seconds: float = 5.0  # how long a missing number may wait for its partition to catch up
    rerequest_seconds: float = 30.0  # a break still open this long after its request is asked for again


def sequence_of(raw: bytes) -> tuple[str, int] | None:
    """(producer, sequence) of a message, None for one without (older producers, poison)."""
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(doc, dict):
        return None
    return _numbered(doc.get("source"), doc.get("sequence"))


def sequence_in(event: CloudEvent) -> tuple[str, int] | None:
    """sequence_of an event the consumer has read already (its `sequence` is an extension attribute)."""
    return _numbered(event.source, (event.model_extra or {}).get("sequence"))


def _numbered(source: object, sequence: object) -> tuple[str, int] | None:
    if not (isinstance(sequence, str) and sequence.isdigit() and isinstance(source, str)):
        return None
    return source, int(sequence)


class StreamWatch:
    def __init__(self, engine: Engine, tables: StreamTables, outbox: Table, consumer: str, prefix: str,
                 settings: StreamSettings | None = None):
        self.engine, self.tables, self.outbox, self.consumer, self.prefix = engine, tables, outbox, consumer, prefix
        self.service = consumer.split(".")[0]
        self.settings = settings or StreamSettings()
        self._noticed: dict[tuple[str, str], tuple[int, float]] = {}  # a gap's first number, when first seen
        self._checked_at = float("-inf")

    def suffix(self, topic: str) -> str:
        return topic.removeprefix(f"{self.prefix}.")

    def record(self, messages: list, parsed: Sequence[CloudEvent | None]) -> None:  # type: ignore[type-arg]
        """Note what one partition's applied batch carried, and where the partition now stands.

        parsed: the messages' events as the consumer read them (None where one did not read: its number, if it
        has one, is read from the message itself), so that each message is parsed once."""
        if not messages:
            return
        topic, partition = messages[0].topic, messages[0].partition
        seen = sorted({found for found in (sequence_in(e) if e is not None else sequence_of(m.value)
                                           for m, e in zip(messages, parsed)) if found is not None})
        with unit_of_work(self.engine) as session:
            repo.note_received(session, self.tables, self.consumer, self.suffix(topic), seen)
            repo.set_offset(session, self.tables, self.consumer, topic, partition, messages[-1].offset + 1)

    def maybe_check(self, kafka_consumer) -> None:  # type: ignore[no-untyped-def]
        """From the consumer loop after a poll: look for a lost stretch every check_seconds."""
        now = time.monotonic()
        if now - self._checked_at < self.settings.check_seconds:
            return
        self._checked_at = now
        reset = self._reset_topics(kafka_consumer)
        self._check_sequences(reset)

    def _reset_topics(self, kafka_consumer) -> set[str]:  # type: ignore[no-untyped-def]
        """The topics (suffixes) of assigned partitions whose log ends before the offset already applied."""
        # The high watermark the last fetch of each partition reported: records applied always lie below it
        # on a healthy log. (Not end_offsets(): Tansu answers ListOffsets with the last batch's base offset + 1.)
        ends = {tp: kafka_consumer.highwater(tp) for tp in kafka_consumer.assignment()}
        reset: set[str] = set()
        if not ends:
            return reset
        with unit_of_work(self.engine) as session:
            noted = repo.noted_offsets(session, self.tables, self.consumer)
            for tp, end in ends.items():
                applied = noted.get((tp.topic, tp.partition))
                if end is None or applied is None or applied <= end:
                    continue
                log.warning("stream.log_reset", consumer=self.consumer, topic=tp.topic, partition=tp.partition,
                            applied_offset=applied, log_end=end)
                kafka_consumer.seek_to_beginning(tp)
                repo.set_offset(session, self.tables, self.consumer, tp.topic, tp.partition, 0)
                reset.add(self.suffix(tp.topic))
        return reset

    def _check_sequences(self, reset: set[str]) -> None:
        now = datetime.now(UTC)
        with unit_of_work(self.engine) as session:
            marks = self._compact(session)
            still_open = []
            for b in repo.open_breaks(session, self.tables, self.consumer):
                contiguous = marks.get((b.source, b.topic), (0, None))[0]
                if b.last_sequence is not None and contiguous >= b.last_sequence:
                    repo.change_break(session, self.tables, b.id, healed_at=now)
                    log.info("stream.healed", consumer=self.consumer, source=b.source, topic=b.topic,
                             first_sequence=b.first_sequence, last_sequence=b.last_sequence)
                    metrics.after_commit(session, HEALED.labels(self.service, self.consumer, b.topic).inc)
                    continue
                still_open.append(b)
                if (now - _aware(b.requested_at)).total_seconds() >= self.settings.rerequest_seconds:
                    repo.change_break(session, self.tables, b.id, requested_at=now)
                    self._request(session, b.source, b.topic, max(b.first_sequence, contiguous + 1))
            for (source, topic), (contiguous, lowest_above) in marks.items():
                if topic in reset:
                    self._open(session, source, topic, LOG_RESET, contiguous + 1, None, now)
                elif lowest_above is not None and not _covered(still_open, source, topic, contiguous + 1):
                    if self._gap_persists(source, topic, contiguous + 1):
                        self._open(session, source, topic, GAP, contiguous + 1, lowest_above - 1, now)

    def _compact(self, session) -> dict[tuple[str, str], tuple[int, int | None]]:  # type: ignore[no-untyped-def]
        """Advance each contiguous mark over the numbers received; returns (mark, lowest number above it)."""
        marks, seen = repo.marks_and_seen(session, self.tables, self.consumer)
        result = {}
        for key in marks.keys() | seen.keys():
            contiguous, numbers = marks.get(key, 0), seen.get(key, [])
            for n in numbers:
                if n == contiguous + 1:
                    contiguous = n
                elif n > contiguous + 1:
                    break
            result[key] = (contiguous, next((n for n in numbers if n > contiguous), None))
            if numbers or key not in marks:
                repo.advance_mark(session, self.tables, self.consumer, *key, contiguous, new=key not in marks)
        return result

    def _gap_persists(self, source: str, topic: str, first: int) -> bool:
        now, key = time.monotonic(), (source, topic)
        noticed = self._noticed.get(key)
        if noticed is None or noticed[0] != first:
            self._noticed[key] = (first, now)
            return self.settings.gap_grace_seconds <= 0
        return now - noticed[1] >= self.settings.gap_grace_seconds

    def _open(self, session, source: str, topic: str, kind: str, first: int, last: int | None,  # type: ignore[no-untyped-def]
              now: datetime) -> None:
        repo.add_break(session, self.tables, consumer=self.consumer, source=source, topic=topic, kind=kind,
                       first_sequence=first, last_sequence=last, detected_at=now, requested_at=now)
        log.warning("stream.break_detected", consumer=self.consumer, source=source, topic=topic, kind=kind,
                    first_sequence=first, last_sequence=last)
        metrics.after_commit(session, BREAKS.labels(self.service, self.consumer, topic, kind).inc)
        self._request(session, source, topic, first)

    def _request(self, session, source: str, topic: str, first: int) -> None:  # type: ignore[no-untyped-def]
        request_replay(session, self.outbox, self.consumer, source, topic, first)


def request_replay(session, outbox: Table, consumer: str, source: str, topic: str, first: int) -> None:  # type: ignore[no-untyped-def]
    """Stage the replay request in the consumer's service's outbox: its relay publishes it to the control topic."""
    data = {"source": source, "topic": topic, "from_sequence": first, "consumer": consumer}
    event = new_event(STREAM_REPLAY_REQUESTED, f"grants/{consumer.split('.')[0]}", f"{source}/{topic}", data)
    enqueue(session, outbox, event, key=f"{source}/{topic}")
    log.info("stream.replay_requested", consumer=consumer, source=source, topic=topic, from_sequence=first)


def _covered(breaks: list, source: str, topic: str, first: int) -> bool:  # type: ignore[type-arg]
    return any(b.source == source and b.topic == topic and b.first_sequence <= first
               and (b.last_sequence is None or b.last_sequence >= first) for b in breaks)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)  # SQLite keeps no offset; we wrote UTC


def watch_for(engine: Engine, inbox: Table, spec, prefix: str) -> StreamWatch | None:  # type: ignore[no-untyped-def]
    """The watch of a consumer, None for the control topic's own (its requests are re-made, not replayed)."""
    tables = tables_of(inbox.metadata)
    if tables is None or "outbox" not in inbox.metadata.tables or CONTROL_TOPIC in spec.topic_suffixes:
        return None
    return StreamWatch(engine, tables, inbox.metadata.tables["outbox"], spec.name, prefix)
