"""The demo's finance part: one officer drafts a batch, another approves it, the bank file is written,
a bank return with one failure comes back, the claimant corrects the failed payee account, and the
claim statuses are shown as the applicant sees them."""

import csv
import io
from collections import Counter
from datetime import datetime
from pathlib import Path

import httpx
from lxml import etree

from demo.officer_steps import confirm_payee, show_refusal, show_review
from services.disbursement.domain.payment_file import validate_pain001
from shared.auth import issue_token
from shared.china_time import CHINA_TZ
from shared.retrying import poll
from shared.settings import DEV_JWT_SECRET

OUT = Path("var/demo")
PAIN001 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
CORRECTED_ACCOUNT = {"account_number": "6222 0202 0001 9999 888", "account_name": "申请人", "bank": "中国工商银行庆阳分行"}


def run_payments(officer_a_client: httpx.Client, officer_b_client: httpx.Client, apps_client: httpx.Client,
                 claim_ids: list[str]) -> int:
    """Pay the eligible claims of the fund holding most of them. The officer clients have the disbursement
    base URL and officer tokens of two different subjects; apps_client is the claimant (applications URL).
    Returns how many payments were issued; raises RuntimeError when a step does not give what the contract promises."""
    fund, chosen = _eligible_of_one_fund(apps_client, claim_ids)
    print(f"\nPayments (fund {fund}: {len(chosen)} eligible claims)")
    _set_budget(officer_a_client, fund)
    batch = _expect(officer_a_client.post("/v1/batches", json={"fund": fund, "claim_ids": chosen}), 201, "draft")
    batch_id = batch["batch_id"]
    print(f"  officer A drafted batch {batch_id}: {batch['count']} items, total {batch['total']} {batch['currency']}")
    _wait_statuses(apps_client, {i["claim_id"]: "in_batch" for i in batch["items"]})
    show_review(officer_b_client, batch_id)
    own = officer_a_client.post(f"/v1/batches/{batch_id}/approve")
    print(f"  officer A approving their own batch: {own.status_code} {own.json().get('title')}")
    show_refusal(officer_b_client, batch_id)
    batch = _expect(officer_b_client.post(f"/v1/batches/{batch_id}/approve"), 200, "approve")
    print(f"  officer B approved it: status {batch['status']}, {len(batch['items'])} payments issued")
    _wait_statuses(apps_client, {i["claim_id"]: "payment_issued" for i in batch["items"]})
    _write_payment_file(officer_b_client, batch)
    failed = batch["items"][-1]
    report = _expect(officer_b_client.post("/v1/bank-returns", content=_bank_return(batch["items"]),
                                           headers={"content-type": "text/csv"}), 200, "bank return")
    print(f"  bank return: {dict(Counter(line['outcome'] for line in report['lines']))}")
    outcome = {i["claim_id"]: "paid" for i in batch["items"][:-1]} | {failed["claim_id"]: "payment_failed"}
    _show(_wait_statuses(apps_client, outcome), "after the bank return")
    _expect(apps_client.put(f"/v1/claims/{failed['claim_id']}/payee-account", json=CORRECTED_ACCOUNT), 200,
            "payee correction")
    print(f"  the claimant corrected the payee account of {failed['claim_id']}")
    confirm_payee(officer_b_client, failed["claim_id"])
    _show(_wait_statuses(apps_client, {failed["claim_id"]: "eligible"}), "ready for a new batch")
    return len(batch["items"])


def _eligible_of_one_fund(apps: httpx.Client, claim_ids: list[str]) -> tuple[str, list[str]]:
    by_fund: dict[str, list[str]] = {}
    for claim_id in claim_ids:
        claim = apps.get(f"/v1/claims/{claim_id}").json()
        if claim["status"] == "eligible":
            by_fund.setdefault(claim["decision"]["fund"], []).append(claim_id)
    if not by_fund:
        raise RuntimeError("no eligible claim to pay")
    fund = max(sorted(by_fund), key=lambda f: len(by_fund[f]))
    return fund, by_fund[fund]


def _set_budget(officer: httpx.Client, fund: str) -> None:
    admin = issue_token(DEV_JWT_SECRET, sub="demo-admin", role="admin")
    year = datetime.now(CHINA_TZ).year
    r = officer.put(f"/v1/funds/{fund}/budgets/{year}", json={"amount": "500000.00"},
                    headers={"Authorization": f"Bearer {admin}"})
    view = _expect(r, 200, "budget")
    limits = _expect(officer.get("/v1/funds"), 200, "funds")["approval_limits"]
    print(f"  admin set the {year} budget of {fund}: {view['budget']} (issued so far {view['issued']}); "
          f"dual approval above {limits['dual_approval_threshold']}, officer daily limit {limits['officer_daily_limit']}")


def _write_payment_file(officer: httpx.Client, batch: dict) -> None:
    r = officer.get(f"/v1/batches/{batch['batch_id']}/payment-file")
    if r.status_code != 200:
        raise RuntimeError(f"payment file: {r.status_code} {r.text[:300]}")
    path = OUT / f"payment-{batch['batch_id']}.xml"
    path.write_bytes(r.content)
    header = etree.fromstring(r.content).find("p:CstmrCdtTrfInitn/p:GrpHdr", PAIN001)
    errors = validate_pain001(r.content)
    print(f"  payment file {path}: pain.001.001.09 XSD {'valid' if not errors else 'INVALID: ' + errors[0]}, "
          f"NbOfTxs {header.findtext('p:NbOfTxs', namespaces=PAIN001)}, "
          f"CtrlSum {header.findtext('p:CtrlSum', namespaces=PAIN001)} (batch total {batch['total']})")
    if errors:
        raise RuntimeError("the payment file does not validate against the pain.001.001.09 XSD")


def _bank_return(items: list[dict]) -> bytes:
    """Every payment settled except the last, refused by the bank: account closed (AC04)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["end_to_end_id", "status", "amount", "currency", "reason_code", "reason", "value_date"])
    today = datetime.now(CHINA_TZ).date().isoformat()
    for n, item in enumerate(items, start=1):
        failed = n == len(items)
        writer.writerow([item["payment_id"], "FAILED" if failed else "SETTLED", item["amount"], "CNY",
                         "AC04" if failed else "", "account closed" if failed else "", today])
    return out.getvalue().encode()


def _wait_statuses(apps: httpx.Client, wanted: dict[str, str], timeout: float = 30.0) -> dict[str, dict]:
    """The claims as the applicant sees them, once each shows its wanted status (statuses follow events)."""
    claims = poll(lambda: {cid: apps.get(f"/v1/claims/{cid}").json() for cid in wanted},
                  lambda seen: all(seen[cid]["status"] == status for cid, status in wanted.items()), timeout=timeout)
    late = {cid: claims[cid]["status"] for cid, status in wanted.items() if claims[cid]["status"] != status}
    if late:
        raise RuntimeError(f"claim statuses did not follow within {timeout:.0f} s: {late}")
    return claims


def _show(claims: dict[str, dict], when: str) -> None:
    print(f"  claim statuses {when}:")
    for cid, claim in claims.items():
        trail = " -> ".join(h["status"] + (f" [{h['detail']}]" if h.get("detail") else "") for h in claim["history"])
        print(f"    {cid}  {claim['programme']:<28} {claim['status']:<15} {trail}")


def _expect(response: httpx.Response, status: int, step: str) -> dict:
    if response.status_code != status:
        raise RuntimeError(f"{step}: expected {status}, got {response.status_code} {response.text[:300]}")
    return response.json()
