"""Every malformed claim gets a 4xx problem document naming the field, never a 500."""

import copy

import pytest

from tests.support import auth, hiring_body, skill_upgrade_body


def _with(body, path: str, value):  # type: ignore[no-untyped-def]
    body = copy.deepcopy(body)
    *parents, leaf = path.split(".")
    node = body
    for p in parents:
        node = node[p]
    node[leaf] = value
    return body


def _without(body, path: str):  # type: ignore[no-untyped-def]
    body = copy.deepcopy(body)
    *parents, leaf = path.split(".")
    node = body
    for p in parents:
        node = node[p]
    del node[leaf]
    return body


SU, HI = skill_upgrade_body(), hiring_body()
CASES = [
    ("bad resident id checksum", _with(SU, "claimant.id_number", "110101199003070127"), "claimant.id_number"),
    ("resident id too short", _with(SU, "claimant.id_number", "11010119900307"), "claimant.id_number"),
    ("resident id with letters", _with(SU, "claimant.id_number", "11010119900307ABCD"), "claimant.id_number"),
    ("resident id impossible birth date", _with(SU, "claimant.id_number", "110101199002300125"), "claimant.id_number"),
    ("employee id bad checksum", _with(HI, "facts.employee.id_number", "110101200103020120"), "facts.employee.id_number"),
    ("uscc bad checksum", _with(HI, "claimant.uscc", "91350100M000100Y44"), "claimant.uscc"),
    ("uscc forbidden letter", _with(HI, "claimant.uscc", "91350100M000100I43"), "claimant.uscc"),
    ("impossible date 2023-02-30", _with(SU, "facts.certificate_issued_on", "2023-02-30"), "facts.certificate_issued_on"),
    ("month 13", _with(SU, "facts.certificate_issued_on", "2023-13-01"), "facts.certificate_issued_on"),
    ("date in another format", _with(SU, "facts.certificate_issued_on", "15/06/2023"), "facts.certificate_issued_on"),
    ("date as a number", _with(SU, "facts.certificate_issued_on", 20230615), "facts.certificate_issued_on"),
    ("level as a string", _with(SU, "facts.level", "4"), "facts.level"),
    ("level out of range", _with(SU, "facts.level", 9), "facts.level"),
    ("level as a float", _with(SU, "facts.level", 4.0), "facts.level"),
    ("negative months", _with(SU, "facts.ui_contribution_months", -1), "facts.ui_contribution_months"),
    ("months as a bool", _with(SU, "facts.ui_contribution_months", True), "facts.ui_contribution_months"),
    ("benefit flag as a string", _with(SU, "facts.receiving_ui_benefit", "no"), "facts.receiving_ui_benefit"),
    ("unknown fact field", _with(SU, "facts.bonus", 1), "facts.bonus"),
    ("unknown top-level field", _with(SU, "extra", "x"), "extra"),
    ("unknown claimant field", _with(SU, "claimant.age", 30), "claimant.age"),
    ("missing fact", _without(SU, "facts.level"), "facts.level"),
    ("missing claimant", _without(SU, "claimant"), "claimant"),
    ("unknown programme", _with(SU, "programme", "free_money"), "programme"),
    ("unknown jurisdiction", _with(SU, "jurisdiction", "beijing"), "jurisdiction"),
    ("huge name", _with(SU, "claimant.name", "张" * 5000), "claimant.name"),
    ("huge certificate number", _with(SU, "facts.certificate_number", "C" * 10_000), "facts.certificate_number"),
    ("account number with letters", _with(SU, "payee_account.account_number", "62220202ABCD5678"), "payee_account.account_number"),
    ("empty account name", _with(SU, "payee_account.account_name", ""), "payee_account.account_name"),
    ("organisation claiming a personal programme", _with(SU, "claimant", HI["claimant"]), "body"),
    ("person kind with a uscc", _with(SU, "claimant.uscc", "91350100M000100Y43"), "claimant"),
    ("graduate without graduation date", _without(HI, "facts.graduated_on"), "facts"),
    ("employee category unknown", _with(HI, "facts.employee_category", "retiree"), "facts.employee_category"),
    ("facts not an object", _with(SU, "facts", [1, 2]), "facts"),
    ("body is a list", [SU], "body"),
    ("retained above completed", _with({**SU, "programme": "trainee"}, "facts", {}), "facts"),
]


@pytest.mark.parametrize("name,body,field", CASES, ids=[c[0] for c in CASES])
def test_malformed_claim_gets_a_problem_naming_the_field(client, name, body, field):
    r = client.post("/v1/claims", json=body, headers={**auth(), "Idempotency-Key": "bad"})
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert {"type", "title", "status", "detail"} <= problem.keys()
    fields = [e["field"] for e in problem["errors"]]
    assert any(f == field or f.startswith(field + ".") or (field == "body" and f) for f in fields), fields


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b"null", b"123"], ids=["broken", "empty", "binary", "null", "number"])
def test_a_body_that_is_not_a_json_object_gets_a_422_problem(client, raw):
    r = client.post("/v1/claims", content=raw, headers={**auth(), "Idempotency-Key": "raw",
                                                          "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"


def test_a_body_over_the_size_limit_gets_413(client):
    r = client.post("/v1/claims", content=b"{" + b" " * 70_000 + b"}",
                    headers={**auth(), "Idempotency-Key": "big", "content-type": "application/json"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("key", [None, "", "k" * 256])
def test_missing_or_oversized_idempotency_key_is_rejected_naming_the_header(client, key):
    headers = auth() if key is None else {**auth(), "Idempotency-Key": key}
    r = client.post("/v1/claims", json=SU, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Idempotency-Key"
