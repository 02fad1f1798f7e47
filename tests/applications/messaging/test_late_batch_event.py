"""The claims and payments topics are not ordered relative to each other: a claim whose first batch's
payment failed stays payment_failed when that batch's batched event arrives late, and still moves to
in_batch when it is batched again into a new batch (real broker, PostgreSQL, the service's own consumer)."""

import pytest
from fastapi.testclient import TestClient

from services.applications.main import create_app
from shared.events import (
    CLAIM_BATCHED,
    CLAIM_DECIDED,
    CONTENT_TYPE,
    PAYMENT_FAILED,
    PAYMENT_ISSUED,
    new_event,
    topic,
)
from shared.kafka_clients import ensure_topics, make_producer
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.applications.messaging.timeline_support import DECISION
from tests.faults.conditions import wait_for
from tests.shared.kafka_offsets import caught_up
from tests.support import auth, skill_upgrade_body

pytestmark = pytest.mark.broker


def _publish(broker: str, prefix: str, claim_id: str, *events: tuple[str, dict]) -> None:
    """As disbursement's relay would: claim events keyed by claim, payment events by beneficiary."""
    producer = make_producer(broker)
    try:
        for event_type, data in events:
            suffix = "payments.v1" if event_type.startswith("grants.payment.") else "claims.v1"
            event = new_event(event_type, "grants/disbursement", claim_id, {"claim_id": claim_id, **data})
            producer.send(topic(prefix, suffix), key=b"beneficiary" if suffix == "payments.v1" else claim_id.encode(),
                          value=event.to_bytes(), headers=[("content-type", CONTENT_TYPE.encode())]).get(timeout=15)
    finally:
        producer.close()


def test_a_late_batched_event_of_the_failed_batch_leaves_the_claim_failed_and_a_new_batch_moves_it(
        pg_url, broker, topic_prefix):
    upgrade_service("applications", pg_url)
    ensure_topics(broker, topic_prefix)
    with TestClient(create_app(applications_settings(pg_url, broker, topic_prefix), run_workers=True)) as client:
        claim_id = client.post("/v1/claims", json=skill_upgrade_body(),
                               headers={**auth(), "Idempotency-Key": "k"}).json()["claim_id"]

        def status() -> str:
            return client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["status"]

        _publish(broker, topic_prefix, claim_id, (CLAIM_DECIDED, {"decision": DECISION}))
        wait_for(lambda: status() == "eligible", what="the claim decided")
        _publish(broker, topic_prefix, claim_id, (PAYMENT_ISSUED, {"payment_id": "P1", "batch_id": "B1"}),
                 (PAYMENT_FAILED, {"payment_id": "P1", "batch_id": "B1", "reason_code": "AC04"}))
        wait_for(lambda: status() == "payment_failed", what="the payment failed")

        _publish(broker, topic_prefix, claim_id, (CLAIM_BATCHED, {"batch_id": "B1"}))  # the first batch, late
        wait_for(lambda: caught_up(broker, f"{topic_prefix}.applications", topic(topic_prefix, "claims.v1")),
                 what="the consumer past the late batched event")
        assert status() == "payment_failed"

        _publish(broker, topic_prefix, claim_id, (CLAIM_BATCHED, {"batch_id": "B2"}))  # re-batched after a fix
        wait_for(lambda: status() == "in_batch", what="the claim in its new batch")
        history = client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["history"]
        assert [h["status"] for h in history] == ["submitted", "eligible", "payment_issued", "payment_failed",
                                                  "in_batch"]
