"""Issue 12 acceptance: hostile bodies across the three services, on PostgreSQL. Each gets a 4xx problem
document naming the faulty field, and nothing is stored (every table of the service keeps its row count)."""

import copy
import json

import pytest
from sqlalchemy import MetaData, func, select

from tests.support import auth, hiring_body, skill_upgrade_body

SU, HI = skill_upgrade_body(seq=700), hiring_body(seq=701)
APPLICANT, OFFICER, ADMIN = auth("applicant", "hostile-1"), auth("officer", "hostile-off"), auth("admin", "hostile-adm")


def _with(body, path: str, value):  # type: ignore[no-untyped-def]
    body = copy.deepcopy(body)
    *parents, leaf = path.split(".")
    node = body
    for part in parents:
        node = node[part]
    node[leaf] = value
    return body


RAW = "raw"  # a body sent as these bytes, not as JSON of a Python value
CLAIMS = [  # (name, body, field named)
    ("payee name with U+0001", _with(SU, "payee_account.account_name", "张\u0001三"), "payee_account.account_name"),
    ("payee name with NUL", _with(SU, "payee_account.account_name", "张\u0000三"), "body"),
    ("payee name with U+202E", _with(SU, "payee_account.account_name", "张三\u202e"), "payee_account.account_name"),
    ("payee name with U+2066 isolate", _with(SU, "payee_account.account_name", "\u2066张三"), "payee_account.account_name"),
    ("payee name with zero-width joiner", _with(SU, "payee_account.account_name", "张\u200d三"), "payee_account.account_name"),
    ("payee name with a BOM", _with(SU, "payee_account.account_name", "\ufeff张三"), "payee_account.account_name"),
    ("payee name with a newline", _with(SU, "payee_account.account_name", "张\n三"), "payee_account.account_name"),
    ("payee name with a lone surrogate", _with(SU, "payee_account.account_name", "张\ud800"), "payee_account.account_name"),
    ("payee name of 141 characters", _with(SU, "payee_account.account_name", "张" * 141), "payee_account.account_name"),
    ("payee name outside GBK", _with(SU, "payee_account.account_name", "𠮷"), "payee_account.account_name"),
    ("payee name only spaces", _with(SU, "payee_account.account_name", "   "), "payee_account.account_name"),
    ("payee name a number", _with(SU, "payee_account.account_name", 12), "payee_account.account_name"),
    ("bank with U+0007", _with(SU, "payee_account.bank", "ICBC\u0007"), "payee_account.bank"),
    ("bank with U+200F", _with(SU, "payee_account.bank", "\u200fICBC"), "payee_account.bank"),
    ("bank of 141 characters", _with(SU, "payee_account.bank", "B" * 141), "payee_account.bank"),
    ("account of 36 digits", _with(SU, "payee_account.account_number", "6" * 36), "payee_account.account_number"),
    ("account with fullwidth digits", _with(SU, "payee_account.account_number", "６２２２０２０２００００"),
     "payee_account.account_number"),
    ("account as a number", _with(SU, "payee_account.account_number", 6222020200000001), "payee_account.account_number"),
    ("claimant name with U+202E", _with(SU, "claimant.name", "张\u202e三"), "claimant.name"),
    ("claimant name with U+0085", _with(SU, "claimant.name", "张\u0085三"), "claimant.name"),
    ("employee name with U+2028", _with(HI, "facts.employee.name", "李\u2028四"), "facts.employee.name"),
    ("certificate number with U+001B", _with(SU, "facts.certificate_number", "\u001b[31mC"), "facts.certificate_number"),
    ("occupation code with U+E000", _with(SU, "facts.occupation_code", "4-07\ue000"), "facts.occupation_code"),
    ("fee 1e30", _with(SU, "programme", "skill_upgrade"), None),  # replaced below by a skill_appraisal body
    ("a list for the claimant", _with(SU, "claimant", ["张三"]), "claimant"),
    ("a huge integer level", _with(SU, "facts.level", 10 ** 400), "facts.level"),
    ("level 1e400 as JSON", RAW, "facts.level"),
    ("months as NaN", RAW, "facts.ui_contribution_months"),
    ("a fact key with a control character", _with(SU, "facts.lev\u0001el", 4), "facts.lev\u0001el"),
    ("programme with U+0000 escaped", _with(SU, "programme", "skill\u0000_upgrade"), "body"),
    ("JSON that does not parse", RAW, "body"),
    ("a body that is not UTF-8", RAW, "body"),
    ("JSON nested 20,000 deep", RAW, "body"),
]
APPRAISAL = {"programme": "skill_appraisal", "jurisdiction": "qingyang", "claimant": SU["claimant"],
             "payee_account": SU["payee_account"],
             "facts": {"certificate_number": "C-1", "occupation_code": "4-07-01-02", "level": 4,
                       "certificate_kind": "skill_level", "certificate_issued_on": "2023-06-15",
                       "first_appraisal": True, "subsidised_training": False, "appraisal_fee_paid": "1e30"}}
RAW_BODIES = {
    "level 1e400 as JSON": json.dumps(SU).replace('"level": 4', '"level": 1e400').encode(),
    "months as NaN": json.dumps(SU).replace('"ui_contribution_months": 14', '"ui_contribution_months": NaN').encode(),
    "JSON that does not parse": b'{"programme": "skill_upgrade",',
    "a body that is not UTF-8": json.dumps(SU).encode().replace(b"\\u5f20", b"\xd5\xc5"),  # 张 in GBK
    "JSON nested 20,000 deep": b'{"facts":' * 20_000,
}
FEES = [("fee " + text, _with(APPRAISAL, "facts.appraisal_fee_paid", text), "facts.appraisal_fee_paid")
        for text in ("1e30", "１.００", " 1.00", "1e400", "-1.00")]
CLAIM_CASES = [c for c in CLAIMS if c[2] is not None] + FEES

PAYEE_CASES = [
    ("correction name with U+0001", {"account_number": "6222020200000001", "account_name": "张\u0001三", "bank": "ICBC"},
     "account_name"),
    ("correction name with U+202E", {"account_number": "6222020200000001", "account_name": "\u202e张三", "bank": "ICBC"},
     "account_name"),
    ("correction bank outside GBK", {"account_number": "6222020200000001", "account_name": "张三", "bank": "😀银行"},
     "bank"),
    ("correction account of 36 digits", {"account_number": "6" * 36, "account_name": "张三", "bank": "ICBC"},
     "account_number"),
    ("correction with an extra field", {"account_number": "6222020200000001", "account_name": "张三", "bank": "ICBC",
                                        "iban": "x"}, "iban"),
]

DISBURSEMENT_CASES = [  # (name, method, path, headers, body, field)
    ("batch fund a number", "POST", "/v1/batches", OFFICER, {"fund": 7}, "fund"),
    ("batch fund with U+0000", "POST", "/v1/batches", OFFICER, {"fund": "unemployment\u0000_insurance"}, "body"),
    ("batch unknown fund", "POST", "/v1/batches", OFFICER, {"fund": "no_such_fund"}, "fund"),
    ("batch claim_ids a string", "POST", "/v1/batches", OFFICER, {"fund": "unemployment_insurance",
                                                                  "claim_ids": "abc"}, "claim_ids"),
    ("batch claim_ids twice", "POST", "/v1/batches", OFFICER, {"fund": "unemployment_insurance",
                                                               "claim_ids": ["a", "a"]}, "claim_ids"),
    ("batch claim id of 37 characters", "POST", "/v1/batches", OFFICER, {"fund": "unemployment_insurance",
                                                                        "claim_ids": ["x" * 37]}, "claim_ids.0"),
    ("batch extra field", "POST", "/v1/batches", OFFICER, {"fund": "unemployment_insurance", "x": 1}, "x"),
    ("batch not an object", "POST", "/v1/batches", OFFICER, ["unemployment_insurance"], "body"),
    *[(f"budget {text!r}", "PUT", "/v1/funds/unemployment_insurance/budgets/2026", ADMIN, {"amount": text}, "amount")
      for text in ("1e30", "1e400", "１.００", " 1.00", "-1.00", "1.001", "9999999999999999")],
    ("budget as a JSON number", "PUT", "/v1/funds/unemployment_insurance/budgets/2026", ADMIN, {"amount": 100}, "amount"),
    ("budget missing", "PUT", "/v1/funds/unemployment_insurance/budgets/2026", ADMIN, {}, "amount"),
    *[(f"parameter {text!r}", "PUT", "/v1/parameters/chongqing-2020.startup.amount", ADMIN,
       {"value": text, "reason": "r"}, "value") for text in ("1e30", "１.００", " 1.00")],
    ("parameter reason empty", "PUT", "/v1/parameters/chongqing-2020.startup.amount", ADMIN,
     {"value": "1.00", "reason": ""}, "reason"),
    ("parameter extra field", "PUT", "/v1/parameters/chongqing-2020.startup.amount", ADMIN,
     {"value": "1.00", "reason": "r", "by": "me"}, "by"),
    ("reject reason empty", "POST", "/v1/batches/B1/reject", OFFICER, {"reason": ""}, "reason"),
    ("reject reason of 501 characters", "POST", "/v1/batches/B1/reject", OFFICER, {"reason": "r" * 501}, "reason"),
    ("what-if parameters a list", "POST", "/v1/evaluations", OFFICER, {**SU, "parameters": ["x"]}, "parameters"),
    ("what-if as_of not a date", "POST", "/v1/evaluations", OFFICER, {**SU, "as_of": "yesterday"}, "as_of"),
    ("what-if payee with U+202E", "POST", "/v1/evaluations", OFFICER,
     _with(SU, "payee_account.account_name", "\u202e张三"), "payee_account.account_name"),
]
AUDIT_CASES = [
    *[(f"audit budget {text!r}", "PUT", "/v1/budgets/unemployment_insurance/2026", ADMIN, {"amount": text}, "amount")
      for text in ("1e30", "１.００", " 1.00", "-1.00", "NaN")],
    ("audit budget a number", "PUT", "/v1/budgets/unemployment_insurance/2026", ADMIN, {"amount": 1}, "amount"),
    ("audit budget missing", "PUT", "/v1/budgets/unemployment_insurance/2026", ADMIN, {}, "amount"),
    ("audit budget with U+0000", "PUT", "/v1/budgets/unemployment_insurance/2026", ADMIN, {"amount": "1\u0000"}, "body"),
    ("checkpoint fund a number", "POST", "/v1/ledger/checkpoints", auth("auditor", "aud-h"), {"fund": 5}, "fund"),
]


def _counts(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    engine = client.app.state.runtime.engine
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items() if name != "alembic_version"}


def _send(client, method, path, headers, body):  # type: ignore[no-untyped-def]
    if isinstance(body, bytes):
        return client.request(method, path, content=body, headers={**headers, "content-type": "application/json"})
    return client.request(method, path, json=body, headers=headers)


def _refused_naming(response, field: str) -> None:  # type: ignore[no-untyped-def]
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    named = [e["field"] for e in response.json().get("errors", [])]
    assert field in named, (field, response.text)


def test_there_are_at_least_60_hostile_bodies():
    assert len(CLAIM_CASES) + len(PAYEE_CASES) + len(DISBURSEMENT_CASES) + len(AUDIT_CASES) >= 60


@pytest.mark.parametrize("name,body,field", CLAIM_CASES, ids=[c[0] for c in CLAIM_CASES])
def test_a_hostile_claim_is_refused_naming_the_field(applications, name, body, field):
    before = _counts(applications)
    payload = RAW_BODIES[name] if body == RAW else json.dumps(body).encode()  # \uXXXX escapes, a lone surrogate too
    r = _send(applications, "POST", "/v1/claims", {**APPLICANT, "Idempotency-Key": f"h-{abs(hash(name))}"}, payload)
    _refused_naming(r, field)
    assert _counts(applications) == before


@pytest.mark.parametrize("name,body,field", PAYEE_CASES, ids=[c[0] for c in PAYEE_CASES])
def test_a_hostile_payee_correction_is_refused_naming_the_field(applications, name, body, field):
    before = _counts(applications)
    _refused_naming(applications.put("/v1/claims/C-none/payee-account", json=body, headers=APPLICANT), field)
    assert _counts(applications) == before


@pytest.mark.parametrize("name,method,path,headers,body,field", DISBURSEMENT_CASES, ids=[c[0] for c in DISBURSEMENT_CASES])
def test_a_hostile_finance_body_is_refused_naming_the_field(disbursement, name, method, path, headers, body, field):
    before = _counts(disbursement)
    _refused_naming(_send(disbursement, method, path, headers, body), field)
    assert _counts(disbursement) == before


@pytest.mark.parametrize("name,method,path,headers,body,field", AUDIT_CASES, ids=[c[0] for c in AUDIT_CASES])
def test_a_hostile_audit_body_is_refused_naming_the_field(audit, name, method, path, headers, body, field):
    before = _counts(audit)
    _refused_naming(_send(audit, method, path, headers, body), field)
    assert _counts(audit) == before
