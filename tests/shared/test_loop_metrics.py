"""The loops' metrics on the real broker and database (issue 16, point 5): the outbox backlog and the age of its
oldest row as the relay sees them, a consumer's lag per partition, the applied and dead-lettered counts, an
access log line per request, and /metrics adding up the processes of `grants serve --processes N`."""

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from kafka import KafkaConsumer, TopicPartition
from prometheus_client import REGISTRY

from shared import metrics, observe
from shared.broker import free_port
from shared.consumer import IdempotentConsumer
from shared.events import topic
from shared.kafka_clients import ensure_topics, make_producer
from shared.migrations import upgrade_service
from shared.relay import OutboxRelay, replay
from tests.shared.messaging_support import inbox, make_db, outbox, spec, stage_events

pytestmark = pytest.mark.broker


def value(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def test_the_outbox_backlog_and_its_oldest_row_move_with_the_relay(broker, topic_prefix, tmp_path):
    engine = make_db(f"sqlite:///{tmp_path}/o.db")
    relay = OutboxRelay(engine, outbox, broker, topic_prefix, service="loops")
    stage_events(engine, 3)
    observe.relay_passed(relay)
    assert value("grants_outbox_unpublished", service="loops") == 3
    assert value("grants_outbox_oldest_unpublished_seconds", service="loops") > 0
    published = value("grants_outbox_published_total", service="loops", topic=topic(topic_prefix, "claims.v1")) or 0
    assert relay.relay_once() == 3
    metrics._last.pop(relay, None)  # the next reading is due at once (they are taken every few seconds)
    observe.relay_passed(relay)
    assert value("grants_outbox_unpublished", service="loops") == 0
    assert value("grants_outbox_oldest_unpublished_seconds", service="loops") == 0
    assert value("grants_outbox_published_total", service="loops", topic=topic(topic_prefix, "claims.v1")) == \
        published + 3


def test_a_consumers_lag_is_the_log_end_minus_its_position_per_partition(broker, topic_prefix):
    name = topic(topic_prefix, "claims.v1")
    ensure_topics(broker, topic_prefix)
    producer = make_producer(broker)
    sent = [producer.send(name, key=b"k", value=b"v%d" % i) for i in range(5)]  # one key: one partition
    producer.flush()
    partition = sent[0].get(timeout=10).partition
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=broker, group_id=None, max_poll_records=2, enable_auto_commit=False)
    tp = TopicPartition(name, partition)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    try:
        taken = 0
        deadline = time.monotonic() + 20
        while not taken and time.monotonic() < deadline:
            taken = sum(len(r) for r in consumer.poll(timeout_ms=500).values())
        assert taken == 2
        metrics.consumer_lag("loops.reader", consumer, every=0)
        assert value("grants_consumer_lag", service="loops", consumer="loops.reader", topic=name,
                     partition=str(partition)) == 3  # five in the log, two taken
    finally:
        consumer.close()


def test_applied_and_dead_lettered_events_are_counted_once_each(broker, topic_prefix, tmp_path):
    engine = make_db(f"sqlite:///{tmp_path}/c.db")
    consumer = IdempotentConsumer(engine, inbox, spec(f"{topic_prefix}.count"), broker, topic_prefix)
    labels = {"service": "test", "consumer": "test.recorder"}
    before_applied = value("grants_events_applied_total", **labels, type="grants.claim.submitted") or 0
    before_dead = value("grants_events_dead_lettered_total", **labels, type="grants.claim.submitted") or 0
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    stage_events(engine, 2)
    stage_events(engine, 1, poison=True)
    relay.relay_once()
    replay(engine, outbox)  # every event once more: the duplicates are not counted again
    relay.relay_once()
    consumer._connect()
    deadline = time.monotonic() + 30
    while (value("grants_events_applied_total", **labels, type="grants.claim.submitted") or 0) < before_applied + 2 \
            or (value("grants_events_dead_lettered_total", **labels, type="grants.claim.submitted") or 0) < before_dead + 1:
        assert time.monotonic() < deadline, "the consumer did not apply its events"
        consumer.poll_once(timeout_ms=300)
    for _ in range(5):  # the repeats arrive and are skipped
        consumer.poll_once(timeout_ms=200)
    consumer._disconnect()
    assert value("grants_events_applied_total", **labels, type="grants.claim.submitted") == before_applied + 2
    assert value("grants_events_dead_lettered_total", **labels, type="grants.claim.submitted") == before_dead + 1


def test_every_request_gets_an_access_log_line(caplog):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from shared.logging import configure_logging
    from shared.web.telemetry import install_telemetry

    configure_logging("test")
    app = FastAPI()
    install_telemetry(app, "loops")
    app.get("/v1/things/{thing_id}")(lambda thing_id: {"id": thing_id})
    with caplog.at_level(logging.INFO, logger="shared.access"), TestClient(app) as client:
        client.get("/v1/things/42")
        client.get("/nowhere")
    lines = [r.msg for r in caplog.records if r.name == "shared.access"]
    assert [(line["route"], line["status"]) for line in lines] == [("/v1/things/{thing_id}", 200), ("unmatched", 404)]
    assert value("grants_http_requests_total", service="loops", route="unmatched", method="GET", status="404") >= 1


def test_metrics_add_up_the_processes_of_grants_serve(tmp_path):
    port = free_port()
    env = {**os.environ, "APPLICATIONS_DATABASE_URL": f"sqlite:///{tmp_path}/a.db", "APPLICATIONS_PORT": str(port),
           "GRANTS_KAFKA_BOOTSTRAP": "127.0.0.1:1", "GRANTS_ENV": "test"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    grants = str(Path(sys.executable).parent / "grants")
    upgrade_service("applications", env["APPLICATIONS_DATABASE_URL"])
    proc = subprocess.Popen([grants, "serve", "applications", "--no-workers", "--processes", "2"], env=env,
                            cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        pids: set[int] = set()
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base) as client:  # a new connection a request: both processes answer
            while len(pids) < 2:
                assert time.monotonic() < deadline and proc.poll() is None, "two processes did not answer"
                try:
                    pids.add(httpx.get(f"{base}/healthz/live", headers={"connection": "close"}).json()["pid"])
                except httpx.HTTPError:
                    time.sleep(0.1)
            answered = len([httpx.get(f"{base}/v1/claims", headers={"connection": "close"}) for _ in range(20)])
            scraped = client.get("/metrics").text
        counted = re.search(r'^grants_http_requests_total{method="GET",route="/v1/claims",service="applications",'
                            r'status="401"} (\S+)$', scraped, re.M)
        assert counted and float(counted[1]) == answered  # whichever process answered each, and scraped
    finally:
        proc.terminate()
        proc.wait(15)
