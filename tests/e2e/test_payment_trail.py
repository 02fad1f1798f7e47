"""Issue 14 point 8, on PostgreSQL and the real broker: an auditor reads one payment's whole story from the audit
service (the claim, the decision with its reasons, computation, clause and catalog hash, the maker and checkers
with times, the payment file and EndToEndId, the bank's outcome, the ledger entries with their hashes and Merkle
inclusion proofs against the latest checkpoint), also as a downloadable JSON document."""

import csv
import io
import json

import pytest

from services.audit.domain.entry_leaves import entry_leaf
from services.audit.domain.export import entry_from_json
from services.audit.domain.merkle import root_from_inclusion
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.e2e.stack import AUDITOR, CHECKER, MAKER, Stack, stack  # noqa: F401 - the fixture
from tests.faults.conditions import wait_for
from tests.support import auth

pytestmark = pytest.mark.broker


def test_an_auditor_follows_one_payment_from_claim_to_ledger(stack: Stack):
    claim_id = stack.file(801, "citizen-801")
    [item] = stack.approved_batch()["items"]
    payment_id = item["payment_id"]
    returned = csv_file([Row(payment_id, "SETTLED", item["amount"])])
    assert stack.disbursement.post("/v1/bank-returns", content=returned,
                                   headers={**CHECKER, "content-type": "text/csv"}).status_code == 200
    entries = lambda: stack.audit.get("/v1/ledger/entries", params={"payment_id": payment_id},  # noqa: E731
                                      headers=AUDITOR).json()["items"]
    wait_for(lambda: len(entries()) == 2, timeout=45, what="issue and settlement posted")
    assert stack.audit.post("/v1/ledger/checkpoints", headers=auth("admin", "admin-e")).status_code == 201

    r = stack.audit.get(f"/v1/payments/{payment_id}/trail", headers=AUDITOR)
    assert r.status_code == 200, r.text
    trail = r.json()
    assert (trail["claim_id"], trail["payment_id"], trail["missing"]) == (claim_id, payment_id, [])
    decision = trail["decision"]
    assert decision["outcome"] == "eligible" and decision["amount"] == item["amount"]
    assert decision["reasons"] is not None and decision["computation"] and decision["clause"]
    assert len(decision["catalog_hash"]) == 64
    approval = trail["approval"]
    assert approval["maker"] == "maker-e" and approval["made_at"]
    assert [(c["checker"], bool(c["at"])) for c in approval["checkers"]] == [("checker-e", True)]
    assert trail["payment_file"]["end_to_end_id"] == payment_id
    assert trail["payment_file"]["message_id"] == trail["batch_id"]
    assert trail["bank_outcome"]["status"] == "settled" and trail["bank_outcome"]["return_sha256"]
    assert [e["type"] for e in trail["bank_outcome"]["events"]] == ["grants.payment.settled"]
    assert [e["hash"] for e in trail["ledger"]] == [e["hash"] for e in entries()]
    for entry in trail["ledger"]:  # each entry is in the signed log: its proof leads to the checkpoint's root
        proof = entry["inclusion_proof"]
        assert proof is not None
        path = [bytes.fromhex(h) for h in proof["inclusion_path"]]
        leaf = entry_leaf(entry_from_json({k: v for k, v in entry.items() if k != "inclusion_proof"}))
        assert leaf.hex() == proof["leaf_hash"]
        assert root_from_inclusion(proof["leaf_index"], proof["tree_size"], leaf, path).hex() == proof["root"]

    download = stack.audit.get(f"/v1/payments/{payment_id}/trail.json", headers=AUDITOR)
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    kept = json.loads(download.content)
    assert kept["ledger"] == trail["ledger"] and kept["decision"] == trail["decision"]
    assert stack.audit.get("/v1/payments/Pnone/trail", headers=AUDITOR).status_code == 404
    assert stack.audit.get(f"/v1/payments/{payment_id}/trail", headers=MAKER).status_code == 403
    assert "citizen" not in json.dumps(trail)  # the applicant is named by nothing but the claim


def test_every_audit_report_comes_as_csv_and_fund_usage_per_month(stack: Stack):
    stack.file(802, "citizen-802")
    [item] = stack.approved_batch()["items"]
    wait_for(lambda: stack.audit.get("/v1/ledger/entries", params={"payment_id": item["payment_id"]},
                                     headers=AUDITOR).json()["items"], timeout=45, what="the issue posted")
    usage = stack.audit.get("/v1/reports/fund-usage", headers=AUDITOR).json()
    [month] = usage["months"]
    assert month["month"] == china_month() and (month["issued"], month["issued_count"]) == (item["amount"], 1)
    # the checker's review of the batch reaches the audit's access log as an event: wait for it, not a moment
    wait_for(lambda: stack.audit.get("/v1/access-log", headers=AUDITOR).json()["items"], timeout=60,
             what="the batch's access records in the audit's log")
    for params, headers in (({"format": "csv"}, AUDITOR), ({}, {**AUDITOR, "Accept": "text/csv"})):
        for path in ("/v1/reports/fund-usage", "/v1/reports/reconciliation", "/v1/access-log"):
            r = stack.audit.get(path, params=params, headers=headers)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), (path, r.text)
            rows = list(csv.DictReader(io.StringIO(r.text)))
            assert rows, path
    usage_rows = list(csv.DictReader(io.StringIO(stack.audit.get("/v1/reports/fund-usage", params={"format": "csv"},
                                                                 headers=AUDITOR).text)))
    assert {r["record"] for r in usage_rows} == {"programme", "fund", "month"}
    assert [r["issued"] for r in usage_rows if r["record"] == "month"] == [item["amount"]]
    assert stack.audit.get("/v1/reports/fund-usage", params={"format": "xml"}, headers=AUDITOR).status_code == 422


def china_month() -> str:
    from datetime import UTC, datetime

    from shared.china_time import business_day
    return business_day(datetime.now(UTC)).strftime("%Y-%m")
