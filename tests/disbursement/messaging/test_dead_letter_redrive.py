"""A submission dead-lettered because applications did not have its claim (yet) is decided once, when
redriven after the claim is there: the redrive fetches the body as the consumer does (its prefetch, over
HTTP), then decides in one transaction (real broker, PostgreSQL, live applications service)."""

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, func, insert, select

from cli.main import main
from services.applications.db.tables import ClaimRow
from services.applications.db.tables import outbox as applications_outbox
from services.disbursement.db.tables import DecisionRow, dead_letters, outbox
from shared.events import CLAIM_DECIDED, CONTENT_TYPE, topic
from shared.kafka_clients import ensure_topics, make_producer
from tests.faults.conditions import wait_for
from tests.support import auth, skill_upgrade_body

pytestmark = pytest.mark.broker
CLAIMS = ClaimRow.__table__


def _count(engine, query) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(query).scalar_one()


def test_a_submission_whose_claim_was_missing_is_decided_once_when_redriven(
        app_with, finance_url, applications, tmp_path, broker, topic_prefix, monkeypatch, capsys):
    for name, value in {"DISBURSEMENT_DATABASE_URL": finance_url, "APPLICATIONS_URL": applications,
                        "GRANTS_KAFKA_BOOTSTRAP": broker, "GRANTS_TOPIC_PREFIX": topic_prefix,
                        "GRANTS_ENV": "test"}.items():
        monkeypatch.setenv(name, value)
    ensure_topics(broker, topic_prefix)
    filed = httpx.post(f"{applications}/v1/claims", json=skill_upgrade_body(), headers={**auth(), "Idempotency-Key": "k"})
    claim_id = filed.json()["claim_id"]
    claims_db = create_engine(f"sqlite:///{tmp_path}/applications.db")
    with claims_db.begin() as conn:  # the submission as applications staged it; then the claim goes missing
        submitted = conn.execute(select(applications_outbox.c.payload)).scalar_one()
        claim = conn.execute(select(CLAIMS).where(CLAIMS.c.claim_id == claim_id)).mappings().one()
        conn.execute(delete(CLAIMS).where(CLAIMS.c.claim_id == claim_id))
    decisions = select(func.count()).select_from(DecisionRow.__table__).where(DecisionRow.claim_id == claim_id)
    with TestClient(app_with(run_workers=True, applications_url=applications, bootstrap=broker,
                             prefix=topic_prefix)) as api:
        engine = api.app.state.runtime.engine
        producer = make_producer(broker)
        producer.send(topic(topic_prefix, "claims.v1"), key=claim_id.encode(), value=submitted.encode(),
                      headers=[("content-type", CONTENT_TYPE.encode())]).get(timeout=15)
        producer.close()
        wait_for(lambda: _count(engine, select(func.count()).select_from(dead_letters)) == 1,
                 what="the submission dead-lettered")
        assert _count(engine, decisions) == 0

        with claims_db.begin() as conn:  # the claim is there now
            conn.execute(insert(CLAIMS).values(**claim))
        capsys.readouterr()
        assert main(["deadletter", "redrive", "disbursement", "--all", "--actor", "ops-carol"]) == 0
        assert "\tapplied" in capsys.readouterr().out
        assert _count(engine, decisions) == 1
        staged = select(func.count()).select_from(outbox).where(outbox.c.key == claim_id,
                                                                 outbox.c.payload.contains(CLAIM_DECIDED))
        assert _count(engine, staged) == 1  # and its decision is on its way to applications, once
        assert main(["deadletter", "redrive", "disbursement", "--all"]) == 0
        assert _count(engine, decisions) == 1
    claims_db.dispose()
