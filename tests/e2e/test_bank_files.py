"""Issue 14 point 5, on PostgreSQL and the real broker: bank returns of real size (far past the common 64 KiB
body limit, in CSV and in pain.002, chunked or not) are applied and reach the audit; a pain.002 without the
optional original amount is matched by reference; uploads are listed with their per-outcome counts and their
lines downloaded as CSV. GRANTS_SOAK=1 (make soak) runs them at 20,000 lines."""

import csv
import io
import os

import pytest
from lxml import etree

from tests.disbursement.domain.test_bank_returns import Row, csv_file, pain002_file
from tests.disbursement.factories import add_eligible
from tests.disbursement.statement_files import camt053
from tests.e2e.stack import AUDITOR, CHECKER, FUND, MAKER, Stack, finance_stack  # noqa: F401 - the fixture
from tests.faults.conditions import wait_for

pytestmark = pytest.mark.broker
LINES = 20_000 if os.environ.get("GRANTS_SOAK") else 2_100  # 1,050 CSV lines: ~69 KB, past the common 64 KiB


def issued(s: Stack, count: int) -> dict:
    add_eligible(s.disbursement_app.state.runtime.engine, count, amount_fen=1000)  # under the dual-approval total
    batch_id = s.disbursement.post("/v1/batches", json={"fund": FUND}, headers=MAKER).json()["batch_id"]
    approved = s.disbursement.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
    assert approved.status_code == 200, approved.text
    return approved.json()


def without_amounts(document: bytes) -> bytes:
    tree = etree.fromstring(document)
    for reference in tree.findall(".//{*}TxInfAndSts/{*}OrgnlTxRef"):
        reference.getparent().remove(reference)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def ledger_entries(s: Stack, payment_id: str) -> list:
    return s.audit.get("/v1/ledger/entries", params={"payment_id": payment_id}, headers=AUDITOR).json()["items"]


def test_bank_returns_of_real_size_are_applied_listed_and_downloaded(finance_stack: Stack):
    stack = finance_stack
    batch = issued(stack, LINES)
    items = batch["items"]
    half = LINES // 2
    settled = csv_file([Row(i["payment_id"], "SETTLED", i["amount"]) for i in items[:half]] +
                       [Row("P" + "9" * 32, "SETTLED", "1.00")])
    assert len(settled) > 64 * 1024
    r = stack.disbursement.post("/v1/bank-returns", content=settled, headers={**CHECKER, "content-type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json()["summary"] == {"applied_settled": half, "unknown_reference": 1}
    # the rest answered by a pain.002 that leaves out the optional original amounts, sent chunked
    failed = without_amounts(pain002_file([Row(i["payment_id"], "FAILED", i["amount"], reason_code="AC04")
                                           for i in items[half:]], original_message_id=batch["batch_id"]))
    chunks = (failed[i:i + 65536] for i in range(0, len(failed), 65536))
    r = stack.disbursement.post("/v1/bank-returns", content=chunks,
                                headers={**CHECKER, "content-type": "application/xml"})
    assert r.status_code == 200, r.text
    assert r.json()["summary"] == {"applied_failed": LINES - half}
    pain_id = r.json()["upload_id"]

    listed = stack.disbursement.get("/v1/bank-returns", params={"limit": 1}, headers=CHECKER).json()
    [newest] = listed["items"]
    assert (newest["upload_id"], newest["format"], newest["line_count"]) == (pain_id, "pain.002", LINES - half)
    assert "lines" not in newest and listed["next_cursor"]
    [older] = stack.disbursement.get("/v1/bank-returns", params={"cursor": listed["next_cursor"]},
                                     headers=CHECKER).json()["items"]
    assert older["summary"] == {"applied_settled": half, "unknown_reference": 1}

    download = stack.disbursement.get(f"/v1/bank-returns/{older['upload_id']}/lines.csv", headers=CHECKER)
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == half + 1 and rows[0]["outcome"] == "applied_settled" and rows[0]["claim_id"]
    assert rows[-1]["outcome"] == "unknown_reference"
    # every outcome reaches the audit's ledger
    wait_for(lambda: len(ledger_entries(stack, items[-1]["payment_id"])) == 2, timeout=120,
             what="the last failure posted")
    wait_for(lambda: len(ledger_entries(stack, items[0]["payment_id"])) == 2, timeout=120,
             what="the first settlement posted (another partition)")


def test_a_bank_file_past_its_routes_limit_is_refused_even_when_chunked(finance_stack: Stack):
    stack = finance_stack
    limit = stack.disbursement_app.state.runtime.settings.grants_bank_file_max_bytes
    too_big = b"end_to_end_id,status\r\n" + b"x" * limit
    chunks = (too_big[i:i + 1 << 20] for i in range(0, len(too_big), 1 << 20))
    r = stack.disbursement.post("/v1/bank-returns", content=chunks, headers={**CHECKER, "content-type": "text/csv"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")
    assert stack.disbursement.post("/v1/batches", content=b"{" + b" " * (70 * 1024) + b"}",
                                   headers={**MAKER, "content-type": "application/json"}).status_code == 413


def test_a_camt053_statement_is_matched_and_the_unmatched_reported_on_either_side(finance_stack: Stack):
    from datetime import UTC, datetime

    from shared.china_time import business_day
    stack = finance_stack
    first, second, third = issued(stack, 3)["items"]
    returned = csv_file([Row(p["payment_id"], "SETTLED", p["amount"]) for p in (first, second)])
    assert stack.disbursement.post("/v1/bank-returns", content=returned,
                                   headers={**CHECKER, "content-type": "text/csv"}).status_code == 200
    account = stack.disbursement_app.state.runtime.settings.grants_fund_accounts[FUND].account_number
    statement = camt053(account, business_day(datetime.now(UTC)).isoformat(),
                        [(first["payment_id"], first["amount"]), (second["payment_id"], "0.01"), ("PUNKNOWN", "5.00")])
    r = stack.disbursement.post("/v1/bank-statements", content=statement,
                                headers={**CHECKER, "content-type": "application/xml"})
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["form"], report["fund"], report["debits"]) == ("camt.053", FUND, 3)
    assert report["matched"] == [{"entry_no": 1, "payment_id": first["payment_id"]}]
    assert [(u["entry_no"], u["reference"]) for u in report["unmatched_entries"]] == [
        (2, second["payment_id"]), (3, "PUNKNOWN")]
    assert "amount" in report["unmatched_entries"][0]["reason"]
    assert {p["payment_id"] for p in report["unmatched_payments"]} == {second["payment_id"], third["payment_id"]}
    foreign = camt053("0000", "2026-01-01", [])
    assert stack.disbursement.post("/v1/bank-statements", content=foreign, headers=CHECKER).status_code == 422
    assert stack.disbursement.post("/v1/bank-statements", content=b"<Document/>", headers=CHECKER).status_code == 422
