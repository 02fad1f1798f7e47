"""The auditor's side of the console in a real browser (Debian's Chromium, headless), on the whole system as
`grants up` starts it: a payment made to an account in another person's name raises a finding; the auditor
finds it with the filters (and reads the page in English too), resolves it with a note and sees the new status
with who and when, downloads the findings CSV, signs a checkpoint, opens the payment's trail and sees each ledger
entry's inclusion proof verified by the console itself, and reads and exports the access log.

The claim, budget and batch are set up through the services' APIs: the officer's pages have their own test
(test_browser.py). Screenshots go where test_browser.py puts them (CONSOLE_SCREENSHOTS=docs: docs/console)."""

import csv
import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

from shared.china_time import CHINA_TZ
from shared.retrying import poll
from tests.console.test_browser import FUND, page, state  # noqa: F401 - the fixtures: the system and the browser
from tests.support import skill_upgrade_body, token

RULE = "payee_name_not_claimant"
AUDITOR = "陈审计"


def _api(system, service: str, role: str, sub: str) -> httpx.Client:
    return httpx.Client(base_url=system.url(service), timeout=30,
                        headers={"Authorization": f"Bearer {token(role, sub)}"})


def _pay_to_someone_elses_account(system) -> str:
    """A claim whose payee account is in the father's name, decided, batched by one officer, reviewed and approved
    by another: the audit flags the payment. Returns its payment id."""
    body = skill_upgrade_body(77)
    body["payee_account"]["account_name"] = "张父"
    applicant = _api(system, "applications", "applicant", "applicant-77")
    claim = applicant.post("/v1/claims", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert claim.status_code == 201, claim.text
    claim_id = claim.json()["claim_id"]
    decided = poll(lambda: applicant.get(f"/v1/claims/{claim_id}").json(), lambda c: c["status"] != "submitted",
                   timeout=60)
    assert decided["status"] == "eligible", decided
    year = datetime.now(UTC).astimezone(CHINA_TZ).year
    budget = _api(system, "disbursement", "admin", "admin-1").put(f"/v1/funds/{FUND}/budgets/{year}",
                                                                  json={"amount": "500000.00"})
    assert budget.status_code == 200, budget.text
    maker = _api(system, "disbursement", "officer", "officer-a")
    queued = poll(lambda: maker.get("/v1/entitlements", params={"fund": FUND}).json()["items"],
                  lambda items: any(e["claim_id"] == claim_id for e in items), timeout=60)
    assert any(e["claim_id"] == claim_id for e in queued)
    batch = maker.post("/v1/batches", json={"fund": FUND, "claim_ids": [claim_id]})
    assert batch.status_code == 201, batch.text
    checker = _api(system, "disbursement", "officer", "officer-b")
    batch_id = batch.json()["batch_id"]
    assert checker.get(f"/v1/batches/{batch_id}").status_code == 200  # the checker's review: on the access log
    approved = checker.post(f"/v1/batches/{batch_id}/approve")
    assert approved.status_code == 200, approved.text
    return approved.json()["items"][0]["payment_id"]


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_an_auditor_finds_the_flagged_payment_reads_it_in_both_languages_and_resolves_it(page, state):
    p, system = page
    state["payment"] = payment = _pay_to_someone_elses_account(system)
    p.sign_in("auditor", AUDITOR)
    p.open("/audit/findings")
    p.choose("rule", RULE)
    p.choose("status", "open")
    p.click("#filter-findings")
    p.reload_until(lambda: p.has("#findings .finding-link"), 60, "the audit raised no payee finding")
    row = p.text("#findings tbody tr")
    assert "收款户名不是申请人本人" in row and "待处理" in row and payment in row
    p.screenshot("audit-findings")

    p.switch_language("en")
    assert p.text("h1") == "Findings"
    row = p.text("#findings tbody tr")
    assert "Payee name is not the claimant's" in row and "Open" in row
    p.screenshot("audit-findings-en")
    p.switch_language("zh_CN")
    assert p.text("h1") == "审计发现"

    p.click("#findings .finding-link")
    p.wait_for("#change-status")
    assert p.text("#finding-status") == "待处理"
    p.click("#move-resolved")
    p.type("status-note", "已核实：父亲代收，申请人书面同意")
    p.click("#change-status")
    p.wait(lambda: p.text("#finding-status") == "已解决", 15, "the finding's new status is not shown")
    assert AUDITOR in p.text("#finding-status-by")
    assert p.text("#finding-status-note") == "已核实：父亲代收，申请人书面同意"
    history = p.text("#finding-history tbody")
    assert "待处理" in history and "已解决" in history and AUDITOR in history
    p.screenshot("audit-finding-resolved")
    state["finding_url"] = p.d.current_url


def test_the_findings_csv_holds_the_resolved_finding(page, state):
    p, _ = page
    p.open(f"/audit/findings?rule={RULE}&fund={FUND}")
    assert "已解决" in p.text("#findings tbody tr")
    p.click("#findings-csv")
    rows = _rows(p.downloaded("findings.csv"))
    assert [(r["rule"], r["status"], r["status_by"], r["payment_ids"]) for r in rows] == [
        (RULE, "resolved", AUDITOR, state["payment"])]


def test_the_ledger_shows_each_funds_head_and_a_checkpoint_signed_on_demand(page, state):
    p, _ = page
    p.open("/audit/ledger")
    p.reload_until(lambda: p.has(f"#head-{FUND}"), 60, "the ledger did not post the payment")
    assert p.has("#verify.ok")
    assert p.text(f"#head-{FUND} .head").endswith("…")
    p.click("#sign-checkpoint")
    p.wait(lambda: "失业保险基金" in p.text("#checkpoints tbody"), 15, "no checkpoint was signed")
    p.screenshot("audit-ledger-heads")
    p.click("#heads-csv")
    heads = _rows(p.downloaded("ledger-heads.csv"))
    assert [h["fund"] for h in heads] == [FUND] and len(heads[0]["head"]) == 64


def test_the_payment_trail_shows_who_approved_it_and_its_proof_verified_by_the_console(page, state):
    p, _ = page
    p.d.get(state["finding_url"])
    p.click("#finding-payments .payment-link")
    p.wait_for("#trail-entries")
    assert p.text("#trail-maker").startswith("officer-a") and "officer-b" in p.text("#trail-checkers")
    assert p.text("#trail-amount") == "¥1,500.00"
    assert p.has("#proofs-summary.ok")
    assert p.texts("#trail-entries .proof") == ["已在本控制台对照签名检查点核验"]
    p.screenshot("audit-payment-trail")
    p.click("#trail-entries-csv")
    entries = _rows(p.downloaded("payment-entries.csv"))
    assert {r["proof_status"] for r in entries} == {"verified"} and len(entries) == 2  # debit and credit lines
    assert sorted(r["debit"] for r in entries) == ["0.00", "1500.00"]


def test_the_access_log_shows_the_checkers_review_and_exports_it(page, state):
    p, _ = page
    p.open("/audit/access-log")
    p.choose("a-action", "batch.review")
    p.type("a-actor", "officer-b")
    p.click("#filter-access")
    p.reload_until(lambda: p.has("#access-log tbody tr td.outcome-allowed"), 60, "the review was not recorded")
    row = p.text("#access-log tbody tr")
    assert "officer-b" in row and "审核了批次" in row and "已允许" in row
    p.screenshot("audit-access-log")
    p.click("#export-access")
    p.wait_for("#job-download", 30)
    p.click("#job-download")
    records = _rows(p.downloaded("access-log.csv"))
    assert records and {(r["actor"], r["action"]) for r in records} == {("officer-b", "batch.review")}


def test_the_reconciliation_lists_bank_statement_breaks_apart(page, state):
    p, _ = page
    p.open("/audit/reconciliation")
    assert p.text("#statement-breaks-h") == "银行对账单差异" and p.has("#no-statement-breaks")
