"""The officer's and the applicant's issue 14 pages in a real browser (Debian's Chromium, headless), one browser
session across the steps, each asserting what is on the screen; the whole system runs as `grants up` starts it.

Two applicants' claims (one paid to a relative's account) are batched; officer B reviews the batch (names, masked
accounts, the flag on the relative's account) and approves it; the bank returns it with one failure. The
applicant reads why in plain words, corrects the payee (a missing field first: its message beside it) and an
officer confirms the new account, after which the claim is eligible again. An officer searches claims (by the
claimant's identity number too), re-decides in bulk the claims rejected for a parameter an administrator has
just set, in Chinese and in English; an applicant asks for review of a rejection and withdraws another claim,
and an officer answers the review by having the rules decide the claim again.

What is not this page's subject (filing the claims, drafting, the bank's file) goes through the public APIs.
Screenshots as in test_browser.py (CONSOLE_SCREENSHOTS=docs writes them to docs/console)."""

import uuid
from datetime import UTC, datetime

import httpx

from shared.china_time import CHINA_TZ
from tests.console.test_browser import FUND, page, state  # noqa: F401 - the fixtures: the system and the browser
from tests.faults.conditions import wait_for
from tests.support import chongqing_hire_body, person_id, skill_upgrade_body, token

APPLICANT, RELATIVE_PAID = "刘洋", "周敏"
PARAMETER = "chongqing-2020.hiring_long_term_unemployed.amount"


def _api(system, service: str, role: str, sub: str) -> httpx.Client:
    return httpx.Client(base_url=system.url(service), headers={"Authorization": f"Bearer {token(role, sub)}"},
                        timeout=30)


def _file(system, sub: str, body: dict) -> str:
    filed = _api(system, "applications", "applicant", sub).post("/v1/claims", json=body,
                                                                headers={"Idempotency-Key": str(uuid.uuid4())})
    assert filed.status_code == 201, filed.text
    return filed.json()["claim_id"]


def _status(system, sub: str, claim_id: str) -> str:
    return _api(system, "applications", "applicant", sub).get(f"/v1/claims/{claim_id}").json()["status"]


def _claim_of(seq: int, name: str, account_name: str, **facts) -> dict:  # type: ignore[no-untyped-def]
    body = skill_upgrade_body(seq, **facts)
    body["claimant"]["name"] = name
    body["payee_account"] = {"account_number": f"6222 0202 0009 {seq:04d} 321", "account_name": account_name,
                             "bank": "中国工商银行庆阳分行"}
    return body


def test_officer_b_reviews_names_masked_accounts_and_flags_then_approves(page, state):  # noqa: F811
    p, system = page
    year = datetime.now(UTC).astimezone(CHINA_TZ).year
    budget = _api(system, "disbursement", "admin", "admin-1").put(f"/v1/funds/{FUND}/budgets/{year}",
                                                                  json={"amount": "500000.00"})
    assert budget.status_code == 200, budget.text
    mine = _file(system, APPLICANT, _claim_of(71, APPLICANT, APPLICANT))
    relative = _file(system, "seed-72", _claim_of(72, "吴刚", RELATIVE_PAID))
    maker = _api(system, "disbursement", "officer", "maker-1")
    wait_for(lambda: {mine, relative} <= {e["claim_id"] for e in maker.get(
        "/v1/entitlements", params={"status": "eligible", "limit": 500}).json()["items"]},
        timeout=60, what="both claims to be eligible for payment")
    drafted = maker.post("/v1/batches", json={"fund": FUND, "claim_ids": [mine, relative]})
    assert drafted.status_code == 201, drafted.text
    batch_id = drafted.json()["batch_id"]

    p.sign_in("officer", "赵强")
    p.open(f"/officer/batches/{batch_id}")
    assert p.text(f"#item-{mine} .claimant") == APPLICANT
    assert p.text(f"#item-{mine} .account") == "****1321"  # the last four of 6222 0202 0009 0071 321
    assert p.text(f"#item-{mine} .flags") == "—"
    assert p.text(f"#item-{relative} .claimant") == "吴刚" and RELATIVE_PAID in p.text(f"#item-{relative} .payee")
    assert p.text(f"#item-{relative} .flags") == "账户户名与申请人不一致"
    assert "qingyang-2023 §18" in p.text(f"#item-{mine} .why")
    assert p.text("#review-summary") == "1 项明细需要再次核对：请查看其提示标记。"
    p.screenshot("batch-review")
    p.click("#approve")
    p.wait(lambda: p.text("#batch-status") == "已审批", 15)
    assert "maker-1" in p.text("#trail") and "赵强" in p.text("#trail")
    state.update(batch_id=batch_id, mine=mine, relative=relative,
                 payments={claim: p.text(f"#item-{claim} .payment-id") for claim in (mine, relative)})


def test_the_bank_returns_one_failure_and_the_applicant_reads_why_and_corrects_the_payee(page, state):  # noqa: F811
    p, system = page
    today = datetime.now(UTC).astimezone(CHINA_TZ).date().isoformat()
    lines = ["end_to_end_id,status,amount,currency,reason_code,reason,value_date",
             f"{state['payments'][state['mine']]},FAILED,1500.00,CNY,AC04,account closed,{today}",
             f"{state['payments'][state['relative']]},SETTLED,1500.00,CNY,,,{today}"]
    returned = _api(system, "disbursement", "officer", "赵强").post(
        "/v1/bank-returns", content="\n".join(lines) + "\n", headers={"Content-Type": "text/csv"})
    assert returned.status_code in (200, 201), returned.text

    p.sign_in("applicant", APPLICANT)
    p.open(f"/claims/{state['mine']}")
    p.reload_until(lambda: p.text("#claim-status") == "支付失败", 60, "the applicant does not see the failure")
    assert p.text("#explanation-message") == "款项未能到账。收款账户已销户。"
    assert p.text("#explanation-code") == "AC04"
    assert p.has("#correct-payee") and not p.has("#withdraw")  # a paid-out claim is no longer withdrawn
    p.screenshot("claim-payment-failed")
    p.click("#correct-payee")
    assert p.text("h1") == "更正收款账户"
    p.type("f-payee_account-account_number", "6217 0000 1234 5678 901")
    p.type("f-payee_account-account_name", APPLICANT)
    p.click("#save-payee")  # the bank left empty: the API's message beside the field
    p.wait_for("#f-payee_account-bank-error")
    assert p.text("#f-payee_account-bank-error") == "此项必填"
    assert p.d.find_element("id", "f-payee_account-bank").get_attribute("aria-invalid") == "true"
    assert p.d.find_element("id", "f-payee_account-account_number").get_attribute("value") == "6217 0000 1234 5678 901"
    p.type("f-payee_account-bank", "中国农业银行庆阳分行")
    p.screenshot("payee-correction")
    p.click("#save-payee")
    p.wait_for("#payee-sent")
    assert p.text("#claim-status") == "支付失败"  # until an officer confirms the new account
    assert "支付失败" in p.text("#timeline")


def test_an_officer_confirms_the_new_account_and_the_claim_is_eligible_again(page, state):  # noqa: F811
    p, _ = page
    mine = state["mine"]
    p.sign_in("officer", "李明")
    p.open("/officer/payee-changes")
    p.reload_until(lambda: p.has(f"#pending-{mine}"), 60, "the payee change does not await confirmation")
    row = p.text(f"#pending-{mine}")
    assert "技能提升补贴" in row and "¥1,500.00" in row and "款项未能到账" in row
    p.screenshot("payee-changes")
    p.type(f"note-{mine}", "已电话核实")
    p.click(f"#confirm-{mine}")
    p.wait_for("#payee-confirmed")
    assert mine in p.text("#payee-confirmed") and not p.has(f"#pending-{mine}")

    p.sign_in("applicant", APPLICANT)
    p.open(f"/claims/{mine}")
    p.reload_until(lambda: p.text("#claim-status") == "符合条件", 60, "the claim is not eligible again")
    assert p.text("#explanation-message") == "审核通过，等待批量发放。"


def test_an_officer_searches_claims_and_re_decides_in_bulk_after_a_parameter_is_set(page, state):  # noqa: F811
    p, system = page
    waiting = _file(system, "seed-81", chongqing_hire_body(81))
    wait_for(lambda: _status(system, "seed-81", waiting) == "rejected", timeout=60, what="the claim to be decided")

    p.sign_in("officer", "李明")
    p.open("/officer/claims?reason=PARAMETER_NOT_SET&status=rejected")
    assert p.texts("#found tbody tr a") == [waiting]
    assert "PARAMETER_NOT_SET" in p.text(f"#found-{waiting}")
    p.open("/officer/claims")
    p.type("s-claimant_id_number", person_id(71))  # by POST: the number never enters an address
    p.click("#search")
    p.wait_for("#found")
    assert p.texts("#found tbody tr a") == [state["mine"]] and "s-claimant_id_number" not in p.d.current_url
    assert "符合条件" in p.text(f"#found-{state['mine']}")
    p.screenshot("claim-search")

    p.open("/officer/reevaluations")
    p.choose("parameter", PARAMETER)
    p.click("#start-reevaluation")  # not set yet: refused in words
    p.wait_for("#refused")
    assert p.text("#refused") == "该参数尚未设定：须先由管理员设定，之后才能重新审核相关申请。"
    put = _api(system, "disbursement", "admin", "admin-1").put(
        f"/v1/parameters/{PARAMETER}", json={"value": "1000.00", "reason": "区县通知"})
    assert put.status_code == 200, put.text
    p.open("/officer/reevaluations")
    p.choose("parameter", PARAMETER)
    p.click("#start-reevaluation")
    p.wait(lambda: p.has("#run-status") and p.text("#run-status") == "完成", 60, "the re-evaluation did not finish")
    assert p.text("#run-count") == "1 / 1" and p.text("#run-eligible") == "1" and p.text("#run-rejected") == "0"
    assert p.text("#run-by") == "李明"
    p.screenshot("reevaluation")
    p.switch_language("en")
    assert p.text("h1") == f"Re-evaluation {PARAMETER}" and p.text("#run-status") == "Done"
    p.switch_language("zh_CN")
    wait_for(lambda: _status(system, "seed-81", waiting) == "eligible", timeout=60, what="the applicant to see it")


def test_an_applicant_asks_for_review_withdraws_another_claim_and_an_officer_answers_the_review(page, state):  # noqa: F811
    p, system = page
    short = _file(system, APPLICANT, _claim_of(73, APPLICANT, APPLICANT, ui_contribution_months=3))
    spare = _file(system, APPLICANT, _claim_of(74, APPLICANT, APPLICANT, certificate_number="GS-2023-0074"))
    p.sign_in("applicant", APPLICANT)
    p.open(f"/claims/{short}")
    p.reload_until(lambda: p.text("#claim-status") == "不予通过", 60, "the claim is not decided")
    assert p.text("#explanation-next") == "下一步: 如有异议，可申请复核。"
    p.type("review-reason", "我已缴纳失业保险 14 个月")
    p.click("#ask-review")
    p.wait_for("#claim-review")
    assert p.text("#claim-review") == "已申请复核" and not p.has("#ask-review")
    assert "review requested: 我已缴纳失业保险 14 个月" in p.text("#timeline")
    p.screenshot("claim-review-requested")

    p.open(f"/claims/{spare}")
    p.reload_until(lambda: p.text("#claim-status") == "符合条件", 60, "the claim is not decided")
    p.type("withdraw-reason", "重复提交")
    p.click("#withdraw")
    p.wait(lambda: p.text("#claim-status") == "已撤回", 15)
    assert not p.has("#withdraw") and "withdrawn by the applicant: 重复提交" in p.text("#timeline")
    p.open("/claims")
    assert "已撤回" in p.text("#my-claims")

    p.sign_in("officer", "赵强")  # the officer finds the open review request and answers it by deciding again
    p.open("/officer/claims?review=requested")
    assert p.texts("#found tbody tr a") == [short]
    p.click(f"#found-{short} a")
    assert p.text("#claim-review") == "已申请复核" and "INSURANCE_REQUIREMENT" in p.text("#reasons")
    p.type("redecide-note", "已核对缴费记录")
    p.click("#redecide")
    p.wait_for("#redecided")
    assert p.text("#claim-status") == "不予通过"  # the rules, not the officer, decide: still 3 months insured

    p.sign_in("applicant", APPLICANT)
    p.open(f"/claims/{short}")
    p.reload_until(lambda: p.has("#claim-review") and p.text("#claim-review") == "已答复复核", 60,
                   "the applicant does not see the answer")
    assert "decided again on review by 赵强: rejected" in p.text("#timeline")
