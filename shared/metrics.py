"""Prometheus metrics, exactly those docs/operations.md ("Metrics") specifies, and the hooks that move them.

The loops (relay, consumers), the outbox and a few use cases call one hook each; nothing here may fail
them (a hook that cannot read what it measures skips that reading). What a transaction causes (a decision,
money issued, a ledger entry) is counted when that transaction commits, never when it rolls back.

`grants serve --processes N` runs N processes behind one port: cli.commands sets PROMETHEUS_MULTIPROC_DIR
for them before they start, each writes its values there, and /metrics in any of them adds them up.
"""

import os
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable
from typing import Any
from weakref import WeakKeyDictionary

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from shared.events import CLAIM_DECIDED, PAYMENT_ISSUED, PAYMENT_SETTLED, CloudEvent
from shared.logging import get_logger
from shared.money import parse_fen

log = get_logger("shared.metrics")
HTTP = ["service", "route", "method", "status"]
EVENTS = ["service", "consumer", "type"]

HTTP_REQUESTS = Counter("grants_http_requests_total", "requests answered", HTTP)
HTTP_DURATION = Histogram("grants_http_request_duration_seconds", "time to the response", HTTP,
                          buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
OUTBOX_UNPUBLISHED = Gauge("grants_outbox_unpublished", "outbox rows not yet published", ["service"],
                           multiprocess_mode="livemax")
OUTBOX_OLDEST = Gauge("grants_outbox_oldest_unpublished_seconds", "age of the oldest unpublished row (0 when none)",
                      ["service"], multiprocess_mode="livemax")
OUTBOX_PUBLISHED = Counter("grants_outbox_published_total", "events the relay published", ["service", "topic"])
CONSUMER_LAG = Gauge("grants_consumer_lag", "log end offset minus the consumer's position",
                     ["service", "consumer", "topic", "partition"], multiprocess_mode="livemax")
EVENTS_APPLIED = Counter("grants_events_applied_total", "events applied (duplicates not counted)", EVENTS)
EVENTS_DEAD_LETTERED = Counter("grants_events_dead_lettered_total", "events sent to the dead-letter topic", EVENTS)
EVENTS_QUARANTINED = Counter("grants_events_quarantined_total", "audit: events quarantined instead of posted",
                             ["reason"])
DECISIONS = Counter("grants_decisions_total", "disbursement: claims decided", ["programme", "outcome"])
AMOUNT_ISSUED = Counter("grants_amount_issued_fen_total", "disbursement: fen issued in approved batches", ["fund"])
AMOUNT_SETTLED = Counter("grants_amount_settled_fen_total", "disbursement: fen the bank confirmed", ["fund"])
LEDGER_POSTED = Counter("grants_ledger_entries_posted_total", "audit: ledger entries appended", ["fund"])
LEDGER_VERIFICATION_FAILURES = Counter("grants_ledger_verification_failures_total",
                                       "audit: chain verifications that failed", ["fund"])
CHECKPOINT_AGE = Gauge("grants_ledger_checkpoint_age_seconds",
                       "audit: time since the fund's last checkpoint while entries wait unsigned (0 when none)",
                       ["fund"], multiprocess_mode="livemax")
LOCK_WAIT = Histogram("grants_fund_lock_wait_seconds", "time waiting for a fund's or officer's lock",
                      ["service", "lock"], buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30))
ROWS_PRUNED = Counter("grants_rows_pruned_total", "rows deleted past their retention (shared.retention)",
                      ["service", "table"])
DEAD_LETTERS_OPEN = Gauge("grants_dead_letters_open", "dead letters not yet redriven (grants deadletter list)",
                          ["service"], multiprocess_mode="livemax")
WORKER_UP = Gauge("grants_worker_up", "1 while the worker thread runs and is not stale", ["service", "worker"],
                  multiprocess_mode="livesum")


def exposition() -> bytes:
    """The text format of every metric of this process (of every process, in multi-process mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def process_exiting() -> None:
    """Multi-process mode: this process's live gauges stop counting."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


# --- counted when the transaction commits ---

def after_commit(session: Session, action: Callable[[], None]) -> None:
    session.info.setdefault("grants_metrics", []).append(action)


@orm_event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    for action in session.info.pop("grants_metrics", []):
        action()


@orm_event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop("grants_metrics", None)


def events_staged(session: Session, events: Iterable[CloudEvent]) -> None:
    """The business counters, read off the events a transaction stages on its outbox: a claim decided, money
    issued or settled is counted exactly when its event is committed."""
    tally: Tally[tuple[Any, tuple[str, ...]]] = Tally()
    for event in events:
        data = event.data
        try:
            if event.type == CLAIM_DECIDED:
                tally[(DECISIONS, (str(data.get("programme")), str(data["decision"]["outcome"])))] += 1
            elif event.type in (PAYMENT_ISSUED, PAYMENT_SETTLED):
                counter = AMOUNT_ISSUED if event.type == PAYMENT_ISSUED else AMOUNT_SETTLED
                tally[(counter, (str(data["fund"]),))] += parse_fen(data["amount"])
        except (KeyError, TypeError, ValueError):
            log.warning("metrics.unreadable_event", event_type=event.type, event_id=event.id)
    if tally:
        after_commit(session, lambda: [metric.labels(*labels).inc(n) for (metric, labels), n in tally.items()])


def ledger_ingested(session: Session, posted_by_fund: Tally[str], quarantined_by_reason: Tally[str]) -> None:
    def count() -> None:
        for fund, n in posted_by_fund.items():
            LEDGER_POSTED.labels(fund).inc(n)
        for reason, n in quarantined_by_reason.items():
            EVENTS_QUARANTINED.labels(reason).inc(n)

    after_commit(session, count)


# --- the loops ---

_last: "WeakKeyDictionary[object, float]" = WeakKeyDictionary()
_last_lock = threading.Lock()


def _due(owner: object, every: float) -> bool:
    """At most one reading per owner every `every` seconds (a relay passes many times a second when busy)."""
    now = time.monotonic()
    with _last_lock:
        if now - _last.get(owner, float("-inf")) < every:
            return False
        _last[owner] = now
        return True


def service_of(consumer: str) -> str:
    return consumer.split(".")[0]  # consumer spec names are "<service>.<consumer>"


def events_applied(consumer: str, events: Iterable[CloudEvent]) -> None:
    for event_type, n in Tally(e.type for e in events).items():
        EVENTS_APPLIED.labels(service_of(consumer), consumer, event_type).inc(n)


def dead_lettered(consumer: str, event_type: str | None) -> None:
    EVENTS_DEAD_LETTERED.labels(service_of(consumer), consumer, event_type or "unparseable").inc()


def consumer_lag(consumer: str, kafka_consumer: Any, every: float = 5.0) -> None:
    """Per assigned partition: the log end offset the last fetch saw minus the consumer's position."""
    if kafka_consumer is None or not _due(kafka_consumer, every):
        return
    try:
        for tp in kafka_consumer.assignment():
            end = kafka_consumer.highwater(tp)
            if end is not None:
                lag = max(end - kafka_consumer.position(tp, timeout_ms=100), 0)
                CONSUMER_LAG.labels(service_of(consumer), consumer, tp.topic, str(tp.partition)).set(lag)
    except Exception as exc:  # noqa: BLE001 - a partition revoked meanwhile: the next reading has it right
        log.debug("metrics.lag_unread", consumer=consumer, error=type(exc).__name__)


def outbox_published(service: str, topics: Iterable[str]) -> None:
    for name, n in Tally(topics).items():
        OUTBOX_PUBLISHED.labels(service, name).inc(n)


def outbox_backlog(service: str, owner: object, read: Callable[[], tuple[int, Any]], every: float = 5.0) -> None:
    """read() -> (unpublished rows, created_at of the oldest or None), taken at most every `every` seconds."""
    if not _due(owner, every):
        return
    try:
        count, oldest = read()
    except Exception as exc:  # noqa: BLE001 - the relay's own step reports database trouble
        log.debug("metrics.backlog_unread", service=service, error=type(exc).__name__)
        return
    OUTBOX_UNPUBLISHED.labels(service).set(count)
    OUTBOX_OLDEST.labels(service).set(0 if oldest is None else max(time.time() - oldest.timestamp(), 0))


def rows_pruned(service: str, table: str, n: int) -> None:
    if n:
        ROWS_PRUNED.labels(service, table).inc(n)


def dead_letters_open(service: str, read: Callable[[], int]) -> None:
    """Read when /metrics is scraped; a database that does not answer leaves the last reading."""
    try:
        DEAD_LETTERS_OPEN.labels(service).set(read())
    except Exception as exc:  # noqa: BLE001 - the readiness check reports database trouble
        log.debug("metrics.dead_letters_unread", service=service, error=type(exc).__name__)


def workers_observed(service: str, workers: Any, stale_seconds: float) -> None:
    """grants_worker_up from a WorkerSet's health, read when /metrics is scraped."""
    if workers is None:
        return
    for detail in workers.health(stale_seconds)[2]:
        WORKER_UP.labels(service, detail["worker"]).set(1 if detail["live"] else 0)
