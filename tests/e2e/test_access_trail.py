"""Issue 14 point 6, on PostgreSQL and the real broker: every read of a claim's personal data, every payment-file
download and every refused action is on the trail of the service that was read, and the audit holds the copy
delivered by event; auditors list it, filtered and page by page."""

import pytest

from tests.e2e.stack import AUDITOR, CHECKER, MAKER, Stack, stack  # noqa: F401 - the fixture
from tests.faults.conditions import wait_for
from tests.support import auth

pytestmark = pytest.mark.broker


def access_log(s: Stack, **params: str) -> list[dict]:
    r = s.audit.get("/v1/access-log", params=params, headers=AUDITOR)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_reads_downloads_and_refusals_reach_the_auditors_access_log(stack: Stack):
    claim_id = stack.file(501, "citizen-501")
    # the decider read the claim's body from applications: a service read, delivered to the audit by event
    wait_for(lambda: access_log(stack, claim_id=claim_id, action="claim.read"), timeout=45, what="the decider's read")
    [read] = access_log(stack, claim_id=claim_id, action="claim.read")
    assert (read["actor"], read["role"], read["source"]) == ("grants-disbursement", "service", "grants/applications")
    assert "claimant.id_number" in read["fields"] and read["purpose"]
    batch = stack.approved_batch()
    # the maker may not approve her own batch: refused, and the refusal is recorded
    assert stack.disbursement.post(f"/v1/batches/{batch['batch_id']}/approve", headers=MAKER).status_code in (403, 409)
    assert stack.disbursement.get("/v1/entitlements", headers=auth("applicant", "citizen-501")).status_code == 403
    assert stack.disbursement.get(f"/v1/batches/{batch['batch_id']}/payment-file", headers=CHECKER).status_code == 200
    wait_for(lambda: access_log(stack, batch_id=batch["batch_id"], action="payment_file.download"), timeout=45,
             what="the download's record")
    [download] = access_log(stack, batch_id=batch["batch_id"], action="payment_file.download")
    assert (download["actor"], download["role"], download["outcome"]) == ("checker-e", "officer", "allowed")
    # the file's bodies were fetched for it (and at drafting, to check the payee): each read by the service
    wait_for(lambda: len(access_log(stack, claim_id=claim_id, action="claim.read")) >= 2, timeout=45,
             what="the payment file's reads")
    assert {r["actor"] for r in access_log(stack, claim_id=claim_id, action="claim.read")} == {"grants-disbursement"}
    wait_for(lambda: access_log(stack, outcome="refused", actor="citizen-501"), timeout=45, what="the refusal")
    [refused] = access_log(stack, outcome="refused", actor="citizen-501")
    assert refused["role"] == "applicant" and refused["purpose"] == "GET /v1/entitlements" and refused["detail"]
    # filters and pages
    everything = access_log(stack, limit="500")
    assert len(everything) >= 4 and everything == sorted(everything, key=lambda r: r["at"], reverse=True)
    first = stack.audit.get("/v1/access-log", params={"limit": 1}, headers=AUDITOR).json()
    second = stack.audit.get("/v1/access-log", params={"limit": 1, "cursor": first["next_cursor"]},
                             headers=AUDITOR).json()
    assert first["items"][0]["access_id"] != second["items"][0]["access_id"]
    assert stack.audit.get("/v1/access-log", params={"who": "x"}, headers=AUDITOR).status_code == 422
    assert stack.audit.get("/v1/access-log", headers=CHECKER).status_code == 403
