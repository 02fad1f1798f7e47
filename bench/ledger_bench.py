"""ledger: the audit consumer (`grants worker audit`) ingesting payment events into the hash-chained ledger
on PostgreSQL, beside plain kafka-python reading the very same messages in the same run.

The events are the life of PAYMENTS payments as disbursement publishes them (bench.payment_events:
issued in batches with their approvals, then settled or failed). Both readers see the same topics;
the raw read uses the audit consumer's settings and only counts, so it is kafka-python's ceiling (median
of RAW_READS reads, as one read lasts a fraction of a second).
Ingest rate: the events committed after the audit's first commit, over the time from that commit to
the last (processed_at of its inbox rows), so the worker's start-up and group join are not counted.
A batch's events share one commit, so the first batch's events are not counted either (counting them
over a window that excludes their work would flatter large batches). The raw read's time runs from
its first records to its last marker.

Scaled: 100,000 events at the original ~300 events/s took minutes a run, so a run ingests the life
of PAYMENTS payments (~20,000 events, one disbursement batch) and the time for 100,000 is
projected from the measured rate. BENCH_LEDGER_PAYMENTS sets another size (e.g. 2000 to time a slow
version of the audit in reasonable time).
"""

import functools
import os
import statistics
import uuid

from sqlalchemy import text

from bench.harness import Figure
from bench.payment_events import Stream, key_of, lifecycle
from bench.procs import profiled, running, wait_for
from bench.services import broker, databases
from bench.topics import publish, read_to_markers
from shared.db import make_engine
from services.audit.messaging.spec import MAX_PARTITION_FETCH_BYTES, MAX_POLL_RECORDS
from services.audit.service.ledger_verification import verify_ledger
from shared.db import unit_of_work
from shared.events import TOPIC_OF_TYPE, topic
from tests.audit.support import all_processed, send_markers

RAW_READS = 5
PAYMENTS, FULL_EVENTS = int(os.environ.get("BENCH_LEDGER_PAYMENTS", "10000")), 100_000
TARGET_RATE, TARGET_RATIO = 10_000, 50.0


@functools.cache
def _stream() -> Stream:
    """Made once per process: each run publishes it under a fresh topic prefix into a fresh database."""
    return lifecycle(PAYMENTS)


def _is_marker(value: bytes) -> bool:
    return b'"id":"marker-' in value  # tests.audit.support.send_markers: no-op approvals the audit processes too


def run() -> list[Figure]:
    stream = _stream()
    with broker() as bootstrap, databases("audit") as urls:
        prefix = f"bl{uuid.uuid4().hex[:8]}"
        publish(bootstrap, prefix, ((topic(prefix, TOPIC_OF_TYPE[e["type"]]), key_of(e), e) for e in stream.events))
        markers = send_markers(bootstrap, prefix)
        # A read of ~20,000 messages lasts a fraction of a second, so one broker fetch that waits out
        # fetch_max_wait_ms skews it several-fold: the raw rate is the median of RAW_READS reads, each with
        # the audit consumer's own poll and fetch sizes.
        raws = [read_to_markers(bootstrap, [topic(prefix, "payments.v1"), topic(prefix, "batches.v1")], keep=False,
                                is_marker=_is_marker, max_poll_records=MAX_POLL_RECORDS,
                                max_partition_fetch_bytes=MAX_PARTITION_FETCH_BYTES) for _ in range(RAW_READS)]
        if any(raw.count != len(stream.events) for raw in raws):
            raise RuntimeError(f"raw reads found {[r.count for r in raws]} messages, {len(stream.events)} were published")
        engine = make_engine(urls["audit"])
        try:
            env = {"AUDIT_DATABASE_URL": urls["audit"], "GRANTS_KAFKA_BOOTSTRAP": bootstrap,
                   "GRANTS_TOPIC_PREFIX": prefix}
            with running("audit", env, command="worker") as worker, profiled(worker, "ledger"):
                wait_for(lambda: all_processed(engine, markers), 900, "the audit to process every event", poll=0.5)
            with engine.connect() as conn:
                count, timed, seconds = conn.execute(text(
                    "WITH e AS (SELECT processed_at FROM processed_events WHERE event_id NOT LIKE 'marker-%') "
                    "SELECT count(*), count(*) FILTER (WHERE processed_at > (SELECT min(processed_at) FROM e)), "
                    "EXTRACT(EPOCH FROM max(processed_at) - min(processed_at)) FROM e")).one()
                entries = conn.execute(text("SELECT count(*) FROM ledger_entries")).scalar_one()
            with unit_of_work(engine) as session:
                verified = verify_ledger(session)
        finally:
            engine.dispose()
    if count != len(stream.events) or entries != stream.payment_events or not verified.ok:
        raise RuntimeError(f"{count} events processed, {entries} entries, chain ok={verified.ok}; expected "
                           f"{len(stream.events)} events and {stream.payment_events} entries")
    ingest = timed / float(seconds)
    raw_rate = statistics.median(raw.count / raw.seconds for raw in raws)
    return [Figure(f"ingest of {count:,} events into the ledger", "events/s", ingest, TARGET_RATE),
            Figure("raw kafka-python read of the same messages", "msgs/s", raw_rate, None),
            Figure("ingest rate / raw consume rate", "%", 100 * ingest / raw_rate, TARGET_RATIO),
            Figure(f"projected: {FULL_EVENTS:,} events at that rate", "s", FULL_EVENTS / ingest,
                   FULL_EVENTS / TARGET_RATE, higher_is_better=False)]
