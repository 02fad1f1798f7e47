import json
import time

from fastapi.testclient import TestClient
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import func, select

from services.disbursement.db.tables import outbox
from shared.events import topic
from shared.kafka_clients import make_producer
from tests.disbursement.factories import add_eligible
from tests.support import auth

MARKER = b"end-of-test-marker"
ITEMS = 10_000



def _all_published(engine, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar() == 0:
                return True
        time.sleep(0.2)
    return False


def _everything_on(bootstrap: str, name: str, timeout: float = 60.0) -> list[dict]:
    """Every event on a topic: a marker is appended to each partition after the relay is done, and the
    topic is read until each partition's marker arrived, so an extra copy of any event would be counted."""
    producer = make_producer(bootstrap)
    partitions = sorted(producer.partitions_for(name))
    for partition in partitions:
        producer.send(name, value=MARKER, partition=partition)
    producer.flush()
    producer.close()
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False)
    consumer.assign([TopicPartition(name, p) for p in partitions])
    events, open_partitions = [], set(partitions)
    deadline = time.monotonic() + timeout
    try:
        while open_partitions and time.monotonic() < deadline:
            for tp, records in consumer.poll(timeout_ms=300).items():
                for record in records:
                    if record.value == MARKER:
                        open_partitions.discard(tp.partition)
                    elif tp.partition in open_partitions:
                        events.append(json.loads(record.value))
    finally:
        consumer.close()
    assert not open_partitions, f"markers not seen on partitions {open_partitions}"
    return events


def test_a_batch_of_10000_items_is_drafted_and_approved_with_every_event_on_the_topic_once(
        app_with, broker, topic_prefix, capsys):
    app = app_with(run_workers=True, bootstrap=broker, prefix=topic_prefix)
    with TestClient(app) as api:
        engine = app.state.runtime.engine
        add_eligible(engine, ITEMS, amount_fen=10000)
        started = time.monotonic()
        drafted = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=auth("officer", "maker"))
        draft_s = time.monotonic() - started
        assert drafted.status_code == 201 and (drafted.json()["count"], drafted.json()["total"]) == (ITEMS, "1000000.00")
        batch_id = drafted.json()["batch_id"]
        started = time.monotonic()
        approved = api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "checker"))
        approve_s = time.monotonic() - started
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        started = time.monotonic()
        assert _all_published(engine)
        relay_s = time.monotonic() - started
    issued = _everything_on(broker, topic(topic_prefix, "payments.v1"))
    assert len(issued) == len({e["id"] for e in issued}) == len({e["data"]["payment_id"] for e in issued}) == ITEMS
    assert {(e["type"], e["data"]["batch_id"]) for e in issued} == {("grants.payment.issued", batch_id)}
    [batch_event] = _everything_on(broker, topic(topic_prefix, "batches.v1"))
    assert (batch_event["data"]["count"], batch_event["data"]["total"]) == (ITEMS, "1000000.00")
    assert sorted(batch_event["data"]["payment_ids"]) == sorted(e["data"]["payment_id"] for e in issued)
    batched = _everything_on(broker, topic(topic_prefix, "claims.v1"))
    assert len(batched) == len({e["data"]["claim_id"] for e in batched}) == ITEMS  # one grants.claim.batched each
    with capsys.disabled():
        print(f"\n10,000-item batch: draft {draft_s:.1f}s, approve {approve_s:.1f}s, relay of 20,001 events {relay_s:.1f}s")
