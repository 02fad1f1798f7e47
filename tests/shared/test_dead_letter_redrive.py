"""Dead letters can be worked: an event dead-lettered because what it needed was missing is listed with its
error, and once that is fixed `grants deadletter redrive` applies it, exactly once, recording who and when
(real broker, PostgreSQL, the applications service's own consumer)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, insert, select

from cli.main import main
from cli.worker_health import health_app
from services.applications.db.tables import ClaimHistoryRow, ClaimRow, dead_letters, inbox
from services.applications.main import create_app
from shared import dead_letter_records
from shared.db import make_engine, unit_of_work
from shared.events import CLAIM_DECIDED, CONTENT_TYPE, new_event, topic
from shared.kafka_clients import ensure_topics, make_producer
from shared.migrations import upgrade_service
from shared.workers import WorkerSet
from tests.applications.conftest import applications_settings
from tests.applications.messaging.timeline_support import DATA
from tests.faults.conditions import wait_for
from tests.shared.kafka_offsets import caught_up
from tests.support import auth, skill_upgrade_body

pytestmark = pytest.mark.broker
CLAIMS, HISTORY = ClaimRow.__table__, ClaimHistoryRow.__table__


@pytest.fixture
def applications_environment(pg_url, broker, topic_prefix, monkeypatch) -> None:
    """A migrated applications database, its topics, and the environment `grants deadletter` reads (as the
    worker's own environment would give it)."""
    upgrade_service("applications", pg_url)
    for name, value in {"APPLICATIONS_DATABASE_URL": pg_url, "GRANTS_KAFKA_BOOTSTRAP": broker,
                        "GRANTS_TOPIC_PREFIX": topic_prefix, "GRANTS_ENV": "test"}.items():
        monkeypatch.setenv(name, value)
    ensure_topics(broker, topic_prefix)


def _publish(broker: str, prefix: str, event) -> None:  # type: ignore[no-untyped-def]
    """As disbursement's relay would."""
    producer = make_producer(broker)
    try:
        producer.send(topic(prefix, "claims.v1"), key=event.subject.encode(), value=event.to_bytes(),
                      headers=[("content-type", CONTENT_TYPE.encode())]).get(timeout=15)
    finally:
        producer.close()


def _grants(capsys, *args: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr().out


def _rows(engine, query):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(query).all()


def test_an_event_dead_lettered_for_a_missing_claim_is_applied_once_when_redriven_after_the_claim_is_restored(
        pg_url, broker, topic_prefix, applications_environment, capsys):
    with TestClient(create_app(applications_settings(pg_url, broker, topic_prefix), run_workers=True)) as client:
        engine = client.app.state.runtime.engine
        claim_id = client.post("/v1/claims", json=skill_upgrade_body(),
                               headers={**auth(), "Idempotency-Key": "k"}).json()["claim_id"]
        # The claim is missing when its decision arrives (say, the database restored from a backup made
        # before it was filed): keep its rows to restore them later.
        with engine.begin() as conn:
            claim = conn.execute(select(CLAIMS).where(CLAIMS.c.claim_id == claim_id)).mappings().one()
            history = conn.execute(select(HISTORY).where(HISTORY.c.claim_id == claim_id)).mappings().all()
            conn.execute(delete(HISTORY).where(HISTORY.c.claim_id == claim_id))
            conn.execute(delete(CLAIMS).where(CLAIMS.c.claim_id == claim_id))
        decided = new_event(CLAIM_DECIDED, "grants/disbursement", claim_id, DATA[CLAIM_DECIDED](claim_id))
        _publish(broker, topic_prefix, decided)
        wait_for(lambda: _rows(engine, select(dead_letters.c.id)), what="the decision dead-lettered")
        (dead_letter_id,) = _rows(engine, select(dead_letters.c.id))[0]

        code, out = _grants(capsys, "deadletter", "list", "applications")
        assert code == 0 and f"{dead_letter_id}\topen" in out and decided.id in out
        assert f"LookupError: no claim {claim_id}" in out and "1 dead letter(s) open" in out

        # Redriven before the claim is back: it fails again and stays open, the attempt recorded.
        code, out = _grants(capsys, "deadletter", "redrive", "applications", "--all", "--actor", "ops-alice")
        assert code == 1 and f"{dead_letter_id}\t{decided.id}\tfailed" in out

        with engine.begin() as conn:  # the fix: the claim restored
            conn.execute(insert(CLAIMS).values(**claim))
            conn.execute(insert(HISTORY), [dict(h) for h in history])
        code, out = _grants(capsys, "deadletter", "redrive", "applications", "--id", decided.id,  # as logged
                            "--actor", "ops-bob")
        assert code == 0 and f"{dead_letter_id}\t{decided.id}\tapplied" in out

        view = client.get(f"/v1/claims/{claim_id}", headers=auth()).json()
        assert view["status"] == "eligible" and view["decision"]["outcome"] == "eligible"
        record = _rows(engine, select(dead_letters).where(dead_letters.c.id == dead_letter_id))[0]
        assert (record.status, record.redriven_by, record.redrive_attempts) == ("redriven", "ops-bob", 2)
        assert datetime.now(UTC) - record.redriven_at < timedelta(minutes=1)
        assert _rows(engine, select(inbox.c.outcome).where(inbox.c.event_id == decided.id)) == [("applied",)]

        # The original comes again on the topic; another redrive finds nothing open. Still applied once.
        _publish(broker, topic_prefix, decided)
        wait_for(lambda: caught_up(broker, f"{topic_prefix}.applications", topic(topic_prefix, "claims.v1")),
                 what="the consumer past the redelivered decision")
        code, out = _grants(capsys, "deadletter", "redrive", "applications", "--all")
        assert code == 0 and "0 of 0 redriven" in out
        code, out = _grants(capsys, "deadletter", "list", "applications", "--all")
        assert "redriven by ops-bob" in out and "0 dead letter(s) open" not in out

    moved = _rows(engine, select(func.count()).select_from(HISTORY).where(HISTORY.c.event_id == decided.id))
    assert moved == [(1,)]
    assert _rows(engine, select(func.count()).select_from(dead_letters)) == [(1,)]


def test_a_message_that_is_no_event_is_listed_and_a_redrive_of_it_fails_again_and_keeps_it_open(
        pg_url, broker, topic_prefix, applications_environment, capsys):
    with TestClient(create_app(applications_settings(pg_url, broker, topic_prefix), run_workers=True)) as client:
        engine = client.app.state.runtime.engine
        producer = make_producer(broker)
        producer.send(topic(topic_prefix, "claims.v1"), key=b"k", value=b"not a cloudevent").get(timeout=15)
        producer.close()
        wait_for(lambda: _rows(engine, select(dead_letters.c.id)), what="the message dead-lettered")
        code, out = _grants(capsys, "deadletter", "list", "applications")
        assert code == 0 and "\t-\t-\t" in out and "ValueError" in out  # no type, no id: it was no event
        code, out = _grants(capsys, "deadletter", "redrive", "applications", "--all", "--actor", "ops-alice")
        assert code == 1 and "failed" in out
        code, out = _grants(capsys, "deadletter", "redrive", "applications", "--id", "999", "--id", "no-such-event")
        assert code == 2 and "0 of 0 redriven" in out
    (record,) = _rows(engine, select(dead_letters))
    assert (record.status, record.redrive_attempts, record.redriven_by) == ("open", 1, "ops-alice")
    assert record.redrive_error.startswith("ValueError")


def test_a_workers_metrics_show_how_many_dead_letters_wait(pg_url):
    upgrade_service("applications", pg_url)
    engine = make_engine(pg_url)
    message = SimpleNamespace(topic="grants.claims.v1", partition=0, offset=1, key=None, value=b"x", headers=[])
    with unit_of_work(engine) as session:
        for _ in range(3):
            dead_letter_records.record(session, inbox, "applications.timeline", message, None, None, "E")
    app = health_app("applications", WorkerSet([]), engine, "127.0.0.1:1", 60.0,
                     lambda: dead_letter_records.open_count(engine, dead_letters))
    with TestClient(app) as client:
        assert 'grants_dead_letters_open{service="applications"} 3.0' in client.get("/metrics").text
    engine.dispose()
