"""The three services on PostgreSQL and the real broker, workers running: applications served by uvicorn (the
decider and the payment file fetch claim bodies from it over HTTP), disbursement and audit through TestClient."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from services.applications.main import create_app as create_applications
from services.audit.main import create_app as create_audit
from services.disbursement.main import create_app as create_disbursement
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.audit.support import audit_settings
from tests.disbursement.factories import finance_settings
from tests.faults.conditions import wait_for
from tests.live_server import serve
from tests.support import auth, create_pg_database, drop_pg_database, skill_upgrade_body

FUND = "unemployment_insurance"
MAKER, CHECKER, AUDITOR = auth("officer", "maker-e"), auth("officer", "checker-e"), auth("auditor", "auditor-e")


@dataclass
class Stack:
    applications: str  # base URL
    disbursement: httpx.Client  # on the served app (the audit calls it too); its app: disbursement_app
    audit: TestClient
    disbursement_app: Any = None

    def file(self, seq: int, applicant: str, **facts: Any) -> str:
        """A claim filed by `applicant`, waited for until decided; its claim id."""
        r = httpx.post(f"{self.applications}/v1/claims", json=skill_upgrade_body(seq, **facts),
                       headers={**auth(sub=applicant), "Idempotency-Key": str(uuid.uuid4())})
        assert r.status_code == 201, r.text
        claim_id = r.json()["claim_id"]
        wait_for(lambda: self.claim(claim_id, applicant)["status"] != "submitted", timeout=45)
        return claim_id

    def claim(self, claim_id: str, applicant: str, **headers: str) -> dict[str, Any]:
        return httpx.get(f"{self.applications}/v1/claims/{claim_id}", headers={**auth(sub=applicant), **headers}).json()

    def approved_batch(self) -> dict[str, Any]:
        batch_id = self.disbursement.post("/v1/batches", json={"fund": FUND}, headers=MAKER).json()["batch_id"]
        r = self.disbursement.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def stack(broker, topic_prefix) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    with running_stack(broker, topic_prefix) as running:
        yield running


@pytest.fixture
def finance_stack(broker, topic_prefix) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """For payments made up in disbursement's database (tests.disbursement.factories.add_eligible): no claims in
    applications, so its consumer is off (it would dead-letter every payment event it cannot place)."""
    with running_stack(broker, topic_prefix, applications_workers=False) as running:
        yield running


@contextmanager
def running_stack(broker: str, topic_prefix: str, *, applications_workers: bool = True) -> Iterator[Stack]:
    names, urls = {}, {}
    for service in ("applications", "disbursement", "audit"):
        names[service], urls[service] = create_pg_database()
        upgrade_service(service, urls[service])
    try:
        apps = create_applications(applications_settings(urls["applications"], broker, topic_prefix),
                                   run_workers=applications_workers)
        with serve(apps) as apps_url:
            disbursement_app = create_disbursement(finance_settings(urls["disbursement"], broker, topic_prefix,
                                                                    applications_url=apps_url), run_workers=True)
            with serve(disbursement_app) as disbursement_url, httpx.Client(base_url=disbursement_url,
                                                                           timeout=120) as disbursement:
                audit_app = create_audit(audit_settings(urls["audit"], broker, topic_prefix,
                                                        audit_checkpoint_every_seconds=3600,
                                                        disbursement_url=disbursement_url), run_workers=True)
                with TestClient(audit_app) as audit:
                    yield Stack(apps_url, disbursement, audit, disbursement_app)
    finally:
        for name in names.values():
            drop_pg_database(name)
