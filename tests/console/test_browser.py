"""The console in a real browser (Debian's Chromium, headless): the issue 15 scenario, one browser session
across its steps, each step asserting what is on the screen. The whole system runs as `grants up` starts it.

An applicant files two claims (a wrong identity number first, its message beside the field) and sees one
eligible and one rejected with its clause, in Chinese and then in English; an administrator sets the fund's
budget; officer A drafts a batch of the queue and is refused its approval; officer B approves it, downloads the
payment file, uploads a bank return with one failure and reconciles the day's bank statement (another
account's first, refused); an auditor sees the dashboard's totals equal the ledger's balances and the
statement's unexplained debit among the breaks, and downloads the reconciliation CSV.

Screenshots of the main pages are written to var/console-screenshots (CONSOLE_SCREENSHOTS=docs writes them to
docs/console, the ones the README shows)."""

import csv
import io
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from lxml import etree

from services.disbursement.config import Settings
from shared.china_time import CHINA_TZ
from tests.console.browser import Page, console_in_chromium
from tests.disbursement.statement_files import camt053
from tests.support import person_id, skill_upgrade_body, token

PAIN001 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
FUND = "unemployment_insurance"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with console_in_chromium(tmp_path_factory.mktemp("console")) as session:
        yield session


@pytest.fixture(scope="module")
def state() -> dict:
    """What one step leaves for the next (the batch, its payments): the steps are one scenario, in order."""
    return {}


def test_grants_up_prints_the_console_address(page):
    _, system = page
    assert f"  console       ready                          {system.url('console')}\n" in system.lines


def _fill_skill_upgrade(p: Page, id_number: str, certificate: str, level: str, insured_months: str) -> None:
    p.choose("f-jurisdiction", "qingyang")
    p.type("f-claimant-name", "王芳")
    p.type("f-claimant-id_number", id_number)
    p.type("f-payee_account-account_number", "6222 0202 0001 0001 321")
    p.type("f-payee_account-account_name", "王芳")
    p.type("f-payee_account-bank", "中国工商银行庆阳分行")
    p.type("f-facts-certificate_number", certificate)
    p.type("f-facts-occupation_code", "4-07-01-02" if level == "4" else "6-18-01-01")
    p.choose("f-facts-level", level)
    p.set_date("f-facts-certificate_issued_on", "2023-06-15")
    p.type("f-facts-ui_contribution_months", insured_months)
    p.choose("f-facts-receiving_ui_benefit", "false")


def _file(p: Page) -> str:
    p.click("#file-claim")
    p.wait(lambda: "/claims/new" not in p.d.current_url, 15, "the claim was not filed")
    p.wait_for("#outcome", 60)  # the page follows the decision by itself (htmx), no reload
    return p.d.current_url.rsplit("/", 1)[1]


def test_an_applicant_files_two_claims_and_sees_one_eligible_and_one_rejected_with_its_clause(page, state):
    p, system = page
    p.sign_in("applicant", "王芳")
    assert p.text("h1") == "我的申请"
    p.open("/claims/new")
    p.click("#programme-skill_upgrade")
    assert p.text("h1") == "技能提升补贴"
    _fill_skill_upgrade(p, "62100219910412001", "GS-2023-0001", "4", "14")  # one digit short
    p.click("#file-claim")
    p.wait_for("#f-claimant-id_number-error")
    assert p.text("#f-claimant-id_number-error") == "身份证号码应为 17 位数字加 1 位数字或 X"
    assert p.d.find_element("id", "f-claimant-id_number").get_attribute("aria-invalid") == "true"
    p.screenshot("claim-form-error")
    me = person_id(31, born=datetime(1991, 4, 12).date())
    p.type("f-claimant-id_number", me)
    eligible = _file(p)
    assert p.text("#outcome") == "符合条件：由失业保险基金支付 ¥1,500.00"
    assert p.text("#decision-clause") == "qingyang-2023 §18"
    assert "已提交" in p.text("#timeline") and "符合条件" in p.text("#timeline")
    p.screenshot("claim-eligible")

    p.open("/claims/new/skill_upgrade")
    _fill_skill_upgrade(p, me, "GS-2023-0002", "5", "8")
    rejected = _file(p)
    assert p.text("#outcome") == "不予通过"
    assert p.text("#decision-clause") == "qingyang-2023 §18"
    reasons = p.text("#reasons")
    assert "参保缴费不满足条款要求" in reasons and "INSURANCE_REQUIREMENT" in reasons and "qingyang-2023 §18" in reasons

    p.switch_language("en")  # the same page in English, by the switch
    assert p.text("h1") == "Skill upgrade subsidy"
    assert p.text("#outcome") == "Rejected"
    assert "Insurance contributions short of what the clause requires" in p.text("#reasons")
    assert p.text("#claim-status") == "Rejected"
    p.screenshot("claim-rejected-en")
    p.open("/claims")
    rows = p.texts("#my-claims tbody tr")
    assert len(rows) == 2 and "Rejected" in rows[0] and "Eligible" in rows[1] and "¥1,500.00" in rows[1]
    p.switch_language("zh_CN")
    assert p.text("h1") == "我的申请"
    state["claims"] = {"eligible": eligible, "rejected": rejected}


def _seed_two_more_eligible_claims(system) -> None:
    """Two other applicants' claims, filed through the API, so the batch holds three payments."""
    for seq in (41, 42):
        client = httpx.Client(base_url=system.url("applications"),
                              headers={"Authorization": f"Bearer {token('applicant', f'seed-{seq}')}"})
        filed = client.post("/v1/claims", json=skill_upgrade_body(seq), headers={"Idempotency-Key": str(uuid.uuid4())})
        assert filed.status_code == 201, filed.text


def test_officer_a_drafts_a_batch_and_is_refused_its_approval(page, state):
    p, system = page
    _seed_two_more_eligible_claims(system)
    p.sign_in("admin", "管理员")
    year = datetime.now(UTC).astimezone(CHINA_TZ).year
    assert p.text("h1") == f"{year} 年基金预算"
    p.type(f"amount-{FUND}", "500000.00")
    p.click(f"#set-{FUND}")
    p.wait(lambda: p.text(f"#fund-{FUND} .budget") == "¥500,000.00", 10)
    p.screenshot("fund-budgets")

    p.sign_in("officer", "李明")
    p.reload_until(lambda: p.has(f"#queue-{FUND}-skill_upgrade") and
                   p.text(f"#queue-{FUND}-skill_upgrade .count") == "3", 60, "the three eligible claims are not queued")
    assert p.text(f"#queue-{FUND}-skill_upgrade .total") == "¥4,500.00"
    p.screenshot("officer-queue")
    p.click(f"#draft-{FUND}-skill_upgrade")
    p.wait(lambda: "/officer/batches/B" in p.d.current_url, 30, "the drafting job did not lead to its batch")
    assert p.text("#batch-status") == "草稿"
    assert p.text("#batch-count") == "3" and p.text("#batch-total") == "¥4,500.00"
    assert p.text("#batch-maker") == "李明"
    state["batch_url"] = p.d.current_url
    p.click("#approve")
    p.wait_for("#refusal")
    assert p.text("#refusal-message") == "此批次由您制单，您不能审批：须由另一位经办人审批。"
    assert p.text("#batch-status") == "草稿"
    p.screenshot("batch-refused")


def test_officer_b_approves_downloads_the_payment_file_and_uploads_a_bank_return_with_one_failure(page, state):
    p, system = page
    p.sign_in("officer", "赵强")
    p.d.get(state["batch_url"])
    p.click("#approve")
    p.wait(lambda: p.text("#batch-status") == "已审批", 15)
    trail = p.text("#trail")
    assert "李明" in trail and "赵强" in trail and "已审批" in trail
    payments = p.texts(".payment-id")
    assert len(payments) == 3
    p.screenshot("batch-approved")

    p.click("#payment-file")
    batch_id = state["batch_url"].rsplit("/", 1)[1]
    document = etree.parse(str(p.downloaded(f"payment-{batch_id}.xml")))
    header = document.find("p:CstmrCdtTrfInitn/p:GrpHdr", PAIN001)
    assert header.findtext("p:NbOfTxs", namespaces=PAIN001) == "3"
    assert header.findtext("p:CtrlSum", namespaces=PAIN001) == "4500.00"

    bank_return = p.downloads / "bank-return.csv"
    today = datetime.now(UTC).astimezone(CHINA_TZ).date().isoformat()
    lines = ["end_to_end_id,status,amount,currency,reason_code,reason,value_date"]
    lines += [f"{pid},SETTLED,1500.00,CNY,,,{today}" for pid in payments[:2]]
    lines.append(f"{payments[2]},FAILED,1500.00,CNY,AC04,account closed,{today}")
    bank_return.write_text("\n".join(lines) + "\n")
    p.open("/officer/bank-returns")
    p.d.find_element("id", "file").send_keys(str(bank_return))
    p.click("#upload")
    p.wait_for("#return-lines", 30)
    assert sorted(p.texts("#return-summary li")) == ["1 失败：已记录", "2 到账：已记录"]
    failed = [row for row in p.texts("#return-lines tbody tr") if "失败" in row]
    assert len(failed) == 1 and payments[2] in failed[0] and failed[0].startswith("4 ")
    p.screenshot("bank-return")
    state["payments"] = payments


def test_officer_b_reconciles_the_days_bank_statement_and_sees_the_unexplained_debit(page, state):
    p, _ = page
    today = datetime.now(UTC).astimezone(CHINA_TZ).date().isoformat()
    account = Settings(grants_env="development").grants_fund_accounts[FUND].account_number  # `grants up`'s own
    settled = state["payments"][:2]
    statement = p.downloads / "statement.xml"
    statement.write_bytes(camt053(account, today, [(pid, "1500.00") for pid in settled] + [("PUNKNOWN-9", "88.00")],
                                  "STMT-CONSOLE-1"))
    elsewhere = p.downloads / "statement-elsewhere.xml"
    elsewhere.write_bytes(camt053("6222000011112222", today, [(settled[0], "1500.00")], "STMT-CONSOLE-0"))

    p.open("/officer/bank-statements")  # another account's statement first: refused in words
    p.d.find_element("id", "file").send_keys(str(elsewhere))
    p.click("#upload-statement")
    p.wait_for("#statement-refused")
    assert p.text("#statement-refused p") == "银行对账单未被接受。"
    assert "GRANTS_FUND_ACCOUNTS" in p.text("#statement-refused-detail")

    p.d.find_element("id", "file").send_keys(str(statement))
    p.click("#upload-statement")
    p.wait_for("#statement-summary", 30)
    assert p.text("h1") == "银行对账单 STMT-CONSOLE-1" and p.text("#statement-fund") == "失业保险基金"
    assert p.text("#statement-debits strong") == "3" and p.text("#statement-matched strong") == "2"
    assert p.text("#statement-unmatched-entries strong") == "1"
    assert p.text("#statement-unmatched-payments strong") == "0"  # the failed payment is rightly not booked
    assert p.texts("#unmatched-entries tbody tr") == ["3 PUNKNOWN-9 ¥88.00 该账户没有此 EndToEndId 的付款"]
    assert sorted(p.texts("#matched-entries tbody td code")) == sorted(settled)
    p.screenshot("bank-statement")
    state["unexplained"] = "PUNKNOWN-9"


def _money_of(p: Page, css: str) -> str:
    return p.text(css)


def test_an_auditor_sees_dashboard_totals_equal_to_the_ledger_and_downloads_the_reconciliation(page, state):
    p, system = page
    p.sign_in("auditor", "陈审计")
    assert p.d.current_url.endswith("/audit/dashboard")
    p.reload_until(lambda: p.text("#total-settled") == "¥3,000.00" and p.text("#total-reversed") == "¥1,500.00",
                   60, "the ledger did not post the payments and the bank's outcomes")
    assert p.text("#total-budget") == "¥500,000.00"
    assert p.text("#total-issued") == "¥4,500.00"
    assert p.text("#total-net") == "¥3,000.00"
    assert "ok" in p.d.find_element("id", "ledger-check").get_attribute("class")
    for chart in ("chart-totals", "chart-programmes", "chart-months", "chart-findings"):
        svg = p.d.find_element("id", chart)
        assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby")
    assert "¥3,000.00" in p.text("#table-programmes") and "技能提升补贴" in p.text("#table-programmes")
    month = datetime.now(UTC).astimezone(CHINA_TZ).month
    assert "¥3,000.00" in p.texts("#table-months tbody tr")[month - 1]
    dashboard = {"net": p.text("#total-net"), "settled": p.text("#total-settled")}
    p.screenshot("audit-dashboard")

    p.open("/audit/ledger")
    assert p.has("#verify.ok")
    assert p.text(f"#books-{FUND} .expense") == dashboard["net"]
    assert p.text(f"#books-{FUND} .bank") == dashboard["settled"]
    assert p.text(f"#books-{FUND} .payable") == "¥0.00"
    p.screenshot("audit-ledger")

    p.open("/audit/reconciliation")
    assert "3 · ¥4,500.00" in p.text("#recon-funds")
    p.reload_until(lambda: p.has("#statement-breaks") and state["unexplained"] in p.text("#statement-breaks"), 60,
                   "the statement's unexplained debit is not a break")
    p.screenshot("audit-reconciliation")
    p.click("#reconciliation-csv")
    rows = list(csv.DictReader(io.StringIO(p.downloaded("reconciliation.csv").read_text())))
    fund_row = next(r for r in rows if r["record"] == "fund" and r["fund"] == FUND)
    assert fund_row["approved_total"] == "4500.00" and fund_row["settled_total"] == "3000.00"
    assert fund_row["failed_total"] == "1500.00"
