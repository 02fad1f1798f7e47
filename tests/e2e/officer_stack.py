"""Both services on PostgreSQL and the real broker, with their workers: what an officer's and an applicant's
working day runs on (issue 14). The applications service is live (disbursement calls it over HTTP)."""

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient

from services.applications.main import create_app as create_applications
from services.audit.main import create_app as create_audit
from services.disbursement.main import create_app as create_disbursement
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.audit.support import audit_settings
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.disbursement.factories import finance_settings
from tests.faults.conditions import wait_for
from tests.live_server import serve
from tests.support import auth, create_pg_database, drop_pg_database

MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")
ADMIN, AUDITOR = auth("admin", "admin-1"), auth("auditor", "auditor-1")
CLAIMANT = auth(sub="claimant")


@dataclass
class Stack:
    apps: str  # base URL of the live applications service
    api: TestClient  # the disbursement service
    apps_db: str
    disbursement_db: str
    audit: TestClient | None = None  # the audit service, when asked for (its consumer sweeps after every batch)

    def file(self, body: dict[str, Any], who: dict[str, str] = CLAIMANT) -> str:
        response = httpx.post(f"{self.apps}/v1/claims", json=body, headers={**who, "Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 201, response.text
        return response.json()["claim_id"]

    def claim(self, claim_id: str, who: dict[str, str] = CLAIMANT) -> dict[str, Any]:
        return httpx.get(f"{self.apps}/v1/claims/{claim_id}", headers=who).json()

    def wait_status(self, claim_id: str, status: str, who: dict[str, str] = CLAIMANT) -> dict[str, Any]:
        wait_for(lambda: self.claim(claim_id, who)["status"] == status, timeout=45, what=f"{claim_id} {status}")
        return self.claim(claim_id, who)

    def fail_payment(self, claim_id: str, fund: str = "unemployment_insurance") -> str:
        """Batch, approve and fail the claim's payment at the bank (AC04); returns the first batch's id."""
        batch = self.api.post("/v1/batches", json={"fund": fund, "claim_ids": [claim_id]}, headers=MAKER).json()
        # each step seen by the applicant before the next: claims.v1 and payments.v1 are not ordered
        # between them, and a late grants.claim.batched would move a failed claim back to in_batch
        self.wait_status(claim_id, "in_batch")
        [item] = self.api.post(f"/v1/batches/{batch['batch_id']}/approve", headers=CHECKER).json()["items"]
        self.wait_status(claim_id, "payment_issued")
        returned = self.api.post("/v1/bank-returns", headers={**CHECKER, "content-type": "text/csv"}, content=csv_file(
            [Row(item["payment_id"], "FAILED", item["amount"], reason_code="AC04")]))
        assert returned.status_code == 200, returned.text
        self.wait_status(claim_id, "payment_failed")
        return batch["batch_id"]


@contextmanager
def officer_stack(broker: str, prefix: str, *, with_audit: bool = False, **disbursement_settings: Any) -> Iterator[Stack]:
    apps_name, apps_db = create_pg_database()
    disb_name, disb_db = create_pg_database()
    audit_name, audit_db = create_pg_database() if with_audit else (None, None)
    try:
        upgrade_service("applications", apps_db)
        upgrade_service("disbursement", disb_db)
        applications = create_applications(applications_settings(apps_db, broker, prefix), run_workers=True)
        with serve(applications) as apps:
            settings = finance_settings(disb_db, bootstrap=broker, prefix=prefix, applications_url=apps,
                                        **disbursement_settings)
            with TestClient(create_disbursement(settings, run_workers=True)) as api, ExitStack() as extra:
                audit = None
                if audit_db is not None:
                    upgrade_service("audit", audit_db)
                    audit = extra.enter_context(TestClient(create_audit(
                        audit_settings(audit_db, broker, prefix, audit_anomaly_sweep_seconds=0), run_workers=True)))
                yield Stack(apps, api, apps_db, disb_db, audit)
    finally:
        if audit_name:
            drop_pg_database(audit_name)
        drop_pg_database(apps_name)
        drop_pg_database(disb_name)
