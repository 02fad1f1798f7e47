"""Both services on the real broker: claim statuses in the applications service follow the batch, its
payments and the bank's returns, and a corrected payee account brings a failed claim back to eligible."""

import time
import uuid

import httpx
from fastapi.testclient import TestClient

from services.applications.main import create_app as create_applications
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.faults.conditions import wait_for
from tests.live_server import serve
from tests.support import auth, skill_upgrade_body

MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")


def _wait_for(apps: str, wanted: dict[str, str], timeout: float = 45.0) -> dict[str, str]:
    """Poll the applicant's view until every claim shows its wanted status (or the time is up)."""
    deadline, seen = time.monotonic() + timeout, {}
    while time.monotonic() < deadline:
        seen = {cid: httpx.get(f"{apps}/v1/claims/{cid}", headers=auth(sub="claimant")).json()["status"]
                for cid in wanted}
        if seen == wanted:
            break
        time.sleep(0.2)
    return seen


def test_claims_follow_batching_payment_bank_return_and_payee_correction(app_with, broker, topic_prefix, tmp_path):
    apps_url = f"sqlite:///{tmp_path}/applications.db"
    upgrade_service("applications", apps_url)
    applications = create_applications(applications_settings(apps_url, broker, topic_prefix), run_workers=True)
    with serve(applications) as apps:
        disbursement = app_with(run_workers=True, bootstrap=broker, prefix=topic_prefix, applications_url=apps)
        with TestClient(disbursement) as api:
            claims = [httpx.post(f"{apps}/v1/claims", json=skill_upgrade_body(200 + i),
                                 headers={**auth(sub="claimant"), "Idempotency-Key": str(uuid.uuid4())}).json()["claim_id"]
                      for i in range(2)]
            assert _wait_for(apps, {c: "eligible" for c in claims}) == {c: "eligible" for c in claims}
            batch_id = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
            assert _wait_for(apps, {c: "in_batch" for c in claims}) == {c: "in_batch" for c in claims}
            items = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).json()["items"]
            assert _wait_for(apps, {c: "payment_issued" for c in claims}) == {c: "payment_issued" for c in claims}
            assert api.get(f"/v1/batches/{batch_id}/payment-file", headers=CHECKER).status_code == 200
            paid, failed = items
            api.post("/v1/bank-returns", content=csv_file([
                Row(paid["payment_id"], "SETTLED", paid["amount"]),
                Row(failed["payment_id"], "FAILED", failed["amount"], reason_code="AC04")]),
                headers={**CHECKER, "content-type": "text/csv"})
            outcome = {paid["claim_id"]: "paid", failed["claim_id"]: "payment_failed"}
            assert _wait_for(apps, outcome) == outcome
            corrected = httpx.put(f"{apps}/v1/claims/{failed['claim_id']}/payee-account", headers=auth(sub="claimant"),
                                  json={"account_number": "6222020200088888888", "account_name": "张三", "bank": "ICBC"})
            assert corrected.status_code == 200
            wait_for(lambda: api.post(f"/v1/claims/{failed['claim_id']}/payee-confirmations",
                                      headers=CHECKER).status_code == 200, what="the payee change to reach disbursement")
            assert _wait_for(apps, {failed["claim_id"]: "eligible"}) == {failed["claim_id"]: "eligible"}
            again = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()
            assert [i["claim_id"] for i in again["items"]] == [failed["claim_id"]]
