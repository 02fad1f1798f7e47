"""The demo's officer steps of issue 14: the second officer's review of a batch (names, masked accounts,
flags), the officer's confirmation of a payee account changed after a failure, and a bulk re-evaluation
of claims rejected for an unset parameter once an admin sets it."""

import uuid
from datetime import date
from typing import Any

import httpx

from shared.auth import issue_token
from shared.identifiers import make_resident_id, make_uscc
from shared.retrying import poll
from shared.settings import DEV_JWT_SECRET

PARAMETER = "chongqing-2020.hiring_long_term_unemployed.amount"


def show_review(checker: httpx.Client, batch_id: str) -> None:
    """What the second officer sees before approving."""
    review = _ok(checker.get(f"/v1/batches/{batch_id}"), "batch review")
    print(f"  officer B reviews batch {batch_id} before approving ({review['review']['flagged_items']} flagged):")
    for item in review["items"]:
        flags = ", ".join(item["flags"]) or "-"
        print(f"    {item['claimant_name'] or '?':<16} payee {item['payee_name'] or '?':<16} "
              f"{item['payee_account_masked'] or '?':<9} {item['programme']:<24} {item['amount']:>9} "
              f"{item['clause'] or '-':<20} flags: {flags}")


def show_refusal(checker: httpx.Client, batch_id: str) -> None:
    refusal = _ok(checker.get(f"/v1/batches/{batch_id}"), "batch")["history"][-1]
    print(f"  batch trail: {refusal['action']} by {refusal['actor']} ({refusal['detail']['code']}): {refusal['reason']}")


def confirm_payee(checker: httpx.Client, claim_id: str, timeout: float = 30.0) -> None:
    """Officer B confirms the claimant's new payee account once disbursement has taken the change in."""
    r = poll(lambda: checker.post(f"/v1/claims/{claim_id}/payee-confirmations",
                                  json={"note": "confirmed with the claimant"}),
             lambda response: response.status_code == 200, timeout=timeout)
    if r.status_code != 200:
        raise RuntimeError(f"payee confirmation: {r.status_code} {r.text[:300]}")
    print(f"  officer B confirmed the new payee account of {claim_id}: {r.json()['status']}")


def run_reevaluation(officer: httpx.Client, apps: httpx.Client) -> None:
    """A Chongqing hire rejected because the district amount is unset; an admin sets it; the officer
    re-decides every claim it blocked, and the applicant sees the new decision."""
    print("\nReconsideration (a parameter the seeds leave to the operator)")
    r = apps.post("/v1/claims", json=_chongqing_hire(), headers={"Idempotency-Key": str(uuid.uuid4())})
    claim_id = _ok(r, "filing", 201)["claim_id"]
    claim = _wait(apps, claim_id, lambda c: c["status"] == "rejected")
    print(f"  Chongqing long-term-unemployed hire: {claim['status']} "
          f"({', '.join(x['code'] for x in claim['decision']['reasons'])})")
    admin = issue_token(DEV_JWT_SECRET, sub="demo-admin", role="admin")
    _ok(officer.put(f"/v1/parameters/{PARAMETER}", json={"value": "1000.00", "reason": "district notice"},
                    headers={"Authorization": f"Bearer {admin}"}), "parameter")
    print(f"  admin set {PARAMETER} = 1000.00")
    run = _ok(officer.post("/v1/reevaluations", json={"parameter_id": PARAMETER}), "re-evaluation", 202)
    run = poll(lambda: _ok(officer.get(f"/v1/reevaluations/{run['reevaluation_id']}"), "progress"),
               lambda progress: progress["status"] != "running", timeout=30)
    print(f"  bulk re-evaluation {run['status']}: {run['done']}/{run['total']} re-decided, "
          f"{run['now_eligible']} now eligible")
    claim = _wait(apps, claim_id, lambda c: c["status"] == "eligible")
    print(f"  the applicant sees: {claim['status']} {claim['decision']['amount']} CNY; "
          f"history: {claim['history'][-1]['detail']}")


def _chongqing_hire() -> dict[str, Any]:
    return {"programme": "hiring_long_term_unemployed", "jurisdiction": "chongqing",
            "claimant": {"kind": "organisation", "uscc": make_uscc("91500000MA60D0E1F"), "name": "重庆某物流有限公司"},
            "payee_account": {"account_number": "6217 0002 00000000031", "account_name": "重庆某物流有限公司",
                              "bank": "中国建设银行"},
            "facts": {"employee": {"id_number": make_resident_id("500101", date(1982, 2, 2), 31), "name": "周九"},
                      "unemployed_registered_on": "2019-10-01", "contract_start": "2020-06-01", "contract_months": 12,
                      "insurance_paid_months": 1}}


def _wait(apps: httpx.Client, claim_id: str, ready: Any, timeout: float = 30.0) -> dict[str, Any]:
    claim = poll(lambda: apps.get(f"/v1/claims/{claim_id}").json(), ready, timeout=timeout)
    if not ready(claim):
        raise RuntimeError(f"claim {claim_id} stayed {claim['status']}")
    return claim


def _ok(response: httpx.Response, step: str, status: int = 200) -> dict[str, Any]:
    if response.status_code != status:
        raise RuntimeError(f"{step}: expected {status}, got {response.status_code} {response.text[:300]}")
    return response.json()
