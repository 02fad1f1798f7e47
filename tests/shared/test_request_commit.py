"""The request's transaction commits before the response is sent: a failed commit is never a success."""

from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.applications.db.tables import ClaimRow, outbox, inbox
from shared.db import make_engine
from shared.migrations import upgrade_service
from shared.settings import ServiceSettings
from shared.web.app import install_common
from shared.web.runtime import DBSession, Runtime


def _row(claim_id: str) -> ClaimRow:
    now = datetime.now(UTC)
    return ClaimRow(claim_id=claim_id, applicant_sub="a", idempotency_key=claim_id, request_sha256="0" * 64,
                    programme="skill_upgrade", jurisdiction="qingyang", beneficiary_ref="r" * 64, body={},
                    status="submitted", submitted_at=now, updated_at=now)


def test_a_commit_that_fails_is_answered_as_an_error_not_as_success(db_url):
    upgrade_service("applications", db_url)
    engine = make_engine(db_url)
    app = FastAPI()
    app.state.runtime = Runtime(service="test", settings=ServiceSettings(), engine=engine, outbox=outbox, inbox=inbox)
    install_common(app, service="t", engine_of=lambda: engine, bootstrap_of=lambda: "127.0.0.1:1")

    @app.post("/rows/{claim_id}")
    def add(claim_id: str, db: DBSession) -> dict:
        db.add(_row(claim_id))  # not flushed: the duplicate only fails at commit
        return {"ok": True}

    client = TestClient(app, raise_server_exceptions=False)
    assert client.post("/rows/one").status_code == 200
    failed = client.post("/rows/one")
    assert failed.status_code == 500 and failed.headers["content-type"].startswith("application/problem+json")
    engine.dispose()
