"""The outbox and the inbox do not grow without bound: past their retention, published outbox rows and inbox
records are pruned in small batches by the worker, an unpublished row never, and an event redelivered inside
the window is still skipped (real broker, PostgreSQL)."""

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from services.applications.db import tables
from shared import dead_letter_records
from shared.consumer import IdempotentConsumer
from shared.db import make_engine, unit_of_work
from shared.events import topic
from shared.migrations import upgrade_service
from shared.relay import OutboxRelay, replay
from shared.retention import RetentionPruner
from shared.settings import ServiceSettings
from tests.faults.conditions import wait_for
from tests.shared.kafka_offsets import caught_up
from tests.shared.messaging_support import applied_counts, inbox, make_db, outbox, spec, stage_events

pytestmark = pytest.mark.broker
OUTBOX_RETENTION, INBOX_RETENTION = timedelta(hours=168), timedelta(hours=336)


def _pruner(engine, **kwargs) -> RetentionPruner:  # type: ignore[no-untyped-def]
    options = dict(service="test", outbox_retention=OUTBOX_RETENTION, inbox_retention=INBOX_RETENTION,
                   every_seconds=300.0, batch_rows=4) | kwargs
    return RetentionPruner(engine, outbox, inbox, **options)  # type: ignore[arg-type]


def _count(engine, table, *where) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def _age(engine, table, column: str, ids: list[str], age: timedelta) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.event_id.in_(ids)).values({column: datetime.now(UTC) - age}))


def _run(worker) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return thread


def test_rows_past_retention_are_pruned_unpublished_kept_and_a_redelivery_inside_the_window_is_skipped(
        pg_url, broker, topic_prefix):
    engine = make_db(pg_url)
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    consumer = IdempotentConsumer(engine, inbox, spec(f"{topic_prefix}.recorder"), broker, topic_prefix)
    threads = [_run(relay), _run(consumer)]
    try:
        ids = stage_events(engine, 20)
        wait_for(lambda: len(applied_counts(engine)) == 20, what="the 20 events applied")
        relay.stop(); threads[0].join(5)
        old, recent = ids[:10], ids[10:]
        _age(engine, outbox, "published_at", old, OUTBOX_RETENTION + timedelta(hours=1))
        _age(engine, inbox, "processed_at", old, INBOX_RETENTION + timedelta(hours=1))
        waiting = stage_events(engine, 5)  # never published: the relay is stopped
        _age(engine, outbox, "created_at", waiting, INBOX_RETENTION * 2)

        pruned = _pruner(engine).prune_once()

        assert pruned == {"outbox": 10, "processed_events": 10}  # in batches of 4: 4 + 4 + 2 each
        assert _count(engine, outbox, outbox.c.event_id.in_(old)) == 0
        assert _count(engine, outbox, outbox.c.event_id.in_(recent)) == 10
        assert _count(engine, outbox, outbox.c.published_at.is_(None)) == 5  # however old, kept until sent
        assert _count(engine, inbox, inbox.c.event_id.in_(old)) == 0
        assert _count(engine, inbox, inbox.c.event_id.in_(recent)) == 10

        # The ten recent events come again (a replay re-sends what the outbox still holds), with the five new.
        assert replay(engine, outbox) == 10
        relay = OutboxRelay(engine, outbox, broker, topic_prefix)
        threads.append(_run(relay))
        wait_for(lambda: len(applied_counts(engine)) == 25, what="the five new events applied")
        wait_for(lambda: _count(engine, outbox, outbox.c.published_at.is_(None)) == 0, what="the replay sent")
        wait_for(lambda: caught_up(broker, f"{topic_prefix}.recorder", topic(topic_prefix, "claims.v1")),
                 what="the consumer's commits at the end of the log, past the redelivered ten")
        assert set(applied_counts(engine).values()) == {1}  # the redelivered ten were skipped, not applied again
    finally:
        relay.stop(); consumer.stop()
        for thread in threads:
            thread.join(10)


def test_the_worker_prunes_on_its_schedule_and_stays_healthy(pg_url):
    engine = make_db(pg_url)
    ids = stage_events(engine, 6)
    with engine.begin() as conn:
        conn.execute(update(outbox).values(published_at=datetime.now(UTC) - OUTBOX_RETENTION * 2))
    pruner = _pruner(engine, every_seconds=0.2)
    thread = _run(pruner)
    try:
        wait_for(lambda: _count(engine, outbox) == 0, what="the scheduled round to prune the outbox")
        stage_events(engine, 1)  # published later than the cutoff of the next rounds: kept
        with engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.event_id.not_in(ids)).values(published_at=datetime.now(UTC)))
        wait_for(lambda: pruner.heartbeat.succeeded_at is not None and pruner.heartbeat.tried_at is not None,
                 what="a heartbeat")
        assert _count(engine, outbox) == 1
    finally:
        pruner.stop(); thread.join(10)
    assert not thread.is_alive()


def test_an_inbox_kept_shorter_than_the_outbox_is_refused_at_start():
    with pytest.raises(ValueError, match="GRANTS_INBOX_RETENTION_HOURS"):
        ServiceSettings(grants_outbox_retention_hours=200, grants_inbox_retention_hours=100)
    assert ServiceSettings().grants_inbox_retention_hours >= ServiceSettings().grants_outbox_retention_hours


def test_a_redriven_dead_letter_is_pruned_after_the_inbox_retention_and_an_open_one_never(pg_url):
    upgrade_service("applications", pg_url)
    engine = make_engine(pg_url)
    message = SimpleNamespace(topic="grants.claims.v1", partition=0, offset=1, key=b"k", value=b"{}", headers=[])
    with unit_of_work(engine) as session:
        for event_id in ("worked", "waiting"):
            dead_letter_records.record(session, tables.inbox, "applications.timeline", message, event_id, None, "E")
    (worked,) = [r.id for r in dead_letter_records.listed(engine, tables.dead_letters) if r.event_id == "worked"]
    with unit_of_work(engine) as session:
        dead_letter_records.mark_attempt(session, tables.dead_letters, worked, "ops", datetime.now(UTC), None)
    later = datetime.now(UTC) + INBOX_RETENTION * 3  # both dead letters are long past the retention by then
    pruner = RetentionPruner(engine, tables.outbox, tables.inbox, service="applications",
                             outbox_retention=OUTBOX_RETENTION, inbox_retention=INBOX_RETENTION,
                             every_seconds=300.0, batch_rows=10, clock=lambda: later)
    assert pruner.prune_once() == {"outbox": 0, "processed_events": 0, "dead_letters": 1}
    assert [r.event_id for r in dead_letter_records.listed(engine, tables.dead_letters, include_redriven=True)] == \
        ["waiting"]
    engine.dispose()
