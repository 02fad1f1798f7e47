"""Audit test support: feeding events through the real consumer code, with or without the broker."""

import json
from datetime import datetime
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from services.audit.config import Settings
from services.audit.db.tables import LedgerEntryRow, inbox
from services.audit.messaging.spec import CONSUMER, ledger_consumer_spec
from services.audit.messaging.consumer import AuditConsumer
from shared.events import topic
from shared.kafka_clients import PARTITIONS, ensure_topics, make_producer
from tests.audit.domain.factories import T0, cloud_event

NO_BROKER = "127.0.0.1:1"


def audit_settings(db_url: str, bootstrap: str = NO_BROKER, prefix: str = "grants", **extra: Any) -> Settings:
    return Settings(audit_database_url=db_url, grants_kafka_bootstrap=bootstrap, grants_topic_prefix=prefix,
                    grants_env="test", **extra)


@dataclass
class Record:
    """The parts of a Kafka record the consumer reads, for feeding it without a broker."""

    value: bytes
    key: bytes | None = None
    headers: list = field(default_factory=list)
    topic: str = "direct"
    partition: int = 0
    offset: int = 0


def encode(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def feed(engine: Engine, events: list[dict[str, Any]]) -> None:
    """Each event through AuditConsumer.process: dedup, handler and inbox row in one transaction."""
    consumer = AuditConsumer(engine, inbox, ledger_consumer_spec(audit_settings("unused")), NO_BROKER, "direct")
    for event in events:
        consumer.process(Record(encode(event)))


def produce(bootstrap: str, prefix: str, events: list[dict[str, Any]]) -> None:
    """Publish CloudEvents as disbursement would: payments keyed by beneficiary ref, batches by batch id."""
    ensure_topics(bootstrap, prefix)
    producer = make_producer(bootstrap)
    beneficiary: dict[str, str] = {}
    try:
        for event in events:
            data = event["data"]
            if event["type"] == "grants.batch.approved":
                suffix, key = "batches.v1", data["batch_id"]
            else:
                suffix = "payments.v1"
                key = beneficiary.setdefault(data["payment_id"], data.get("beneficiary_ref") or data["payment_id"])
            producer.send(topic(prefix, suffix), key=key.encode(), value=encode(event),
                          headers=[("content-type", b"application/cloudevents+json")])
        producer.flush(timeout=30)
    finally:
        producer.close()


@contextmanager
def consuming(engine: Engine, bootstrap: str, prefix: str, group: str | None = None,
              on_batch_committed: Callable[[], None] | None = None) -> Iterator[AuditConsumer]:
    """The audit consumer in a thread on the real broker, stopped on exit."""
    spec = ledger_consumer_spec(audit_settings("unused", bootstrap, prefix), on_batch_committed)
    if group is not None:
        spec.group_id = group
    consumer = AuditConsumer(engine, inbox, spec, bootstrap, prefix)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        yield consumer
    finally:
        consumer.stop()
        thread.join(15)


def processed(engine: Engine) -> int:
    """Events the consumer has committed (applied or dead-lettered)."""
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(inbox).where(inbox.c.consumer == CONSUMER)).scalar_one()


def entry_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(LedgerEntryRow.__table__)).scalar_one()


def wait_for(condition: Callable[[], bool], timeout: float = 30.0, what: str = "condition",
             describe: Callable[[], object] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}: {describe() if describe else ''}")
        time.sleep(0.05)



def send_markers(bootstrap: str, prefix: str, partitions: int = PARTITIONS) -> set[str]:
    """One marker event on every partition of the audit's topics; returns their ids.

    Partitions are consumed in order, so once every marker is processed, so is everything produced
    before it. (Tansu reports no usable end offsets, so consumer lag cannot tell us that.)
    A marker is a batch approval listing no payment: it touches no ledger row.
    """
    producer = make_producer(bootstrap)
    ids = set()
    try:
        for suffix in ("payments.v1", "batches.v1"):
            for partition in range(partitions):
                marker_id = f"marker-{uuid.uuid4().hex}"
                marker = cloud_event("grants.batch.approved", {
                    "batch_id": marker_id, "fund": "unemployment_insurance", "count": 0, "total": "0.00",
                    "payment_ids": [], "maker": "test", "checker": "test", "approved_at": T0.isoformat()}, marker_id)
                producer.send(topic(prefix, suffix), value=encode(marker), partition=partition)
                ids.add(marker_id)
        producer.flush(timeout=30)
    finally:
        producer.close()
    return ids


def all_processed(engine: Engine, event_ids: set[str]) -> bool:
    with engine.connect() as conn:
        done = conn.execute(select(inbox.c.event_id).where(inbox.c.consumer == CONSUMER,
                                                           inbox.c.event_id.in_(event_ids))).scalars()
        return set(done) == event_ids


def judge_anomalies(engine: Engine, now: datetime | None = None) -> None:
    """One round of the anomaly worker, as its thread runs it after each consumed batch."""
    from services.audit.domain.anomalies.engine import RuleParameters
    from services.audit.service.anomaly_sweep import run_round
    from services.audit.service.catalog_standards import catalog_standards

    run_round(engine, catalog_standards(), RuleParameters(), now)


@contextmanager
def anomaly_worker(engine: Engine, standards: Any, params: Any = None) -> Iterator[Any]:
    """The anomaly worker in its own thread, as the service runs it; pass it as on_batch_committed to wake it."""
    from services.audit.domain.anomalies.engine import RuleParameters
    from services.audit.service.anomaly_worker import AnomalySweep

    worker = AnomalySweep(engine, standards, params or RuleParameters(), interval_s=1.0)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join(15)
