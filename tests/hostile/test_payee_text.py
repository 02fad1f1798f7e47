"""Issue 12 point 1 at intake: payee text the bank file cannot carry, and control or bidi characters in any
text field, are refused naming the field, at filing and at correction; text is kept in NFC. (Drafting:
tests/disbursement/api/test_unpayable_payees.py.)"""

import uuid

import pytest

from tests.support import auth, service_auth, skill_upgrade_body
HOSTILE_NAMES = {
    "control character": "张\u0001三", "bidi override": "张三\u202egnp.exe", "zero-width space": "张\u200b三",
    "line separator": "张\u2028三", "tab": "张\t三", "outside GBK": "𠮷野家", "emoji": "张三😀",
    "141 characters": "张" * 141, "private use": "张\ue000",
}


@pytest.mark.parametrize("field", ["account_name", "bank"])
@pytest.mark.parametrize("kind", sorted(HOSTILE_NAMES))
def test_intake_refuses_payee_text_the_bank_file_cannot_carry(applications, field, kind):
    body = skill_upgrade_body(seq=300)
    body["payee_account"][field] = HOSTILE_NAMES[kind]
    headers = {**auth("applicant", "payee-text"), "Idempotency-Key": f"{field}-{kind}"}
    r = applications.post("/v1/claims", json=body, headers=headers)
    assert r.status_code == 422, r.text
    assert f"payee_account.{field}" in [e["field"] for e in r.json()["errors"]], r.text
    assert applications.get("/v1/claims", headers=headers).json()["items"] == []


def test_an_account_number_longer_than_the_bank_file_allows_is_refused(applications):
    body = skill_upgrade_body(seq=301)
    body["payee_account"]["account_number"] = "6" * 36
    r = applications.post("/v1/claims", json=body, headers={**auth("applicant", "p-acc"), "Idempotency-Key": "k"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "payee_account.account_number", r.text


@pytest.mark.parametrize("path,value", [("claimant.name", "张\u202e三"), ("facts.certificate_number", "C\u0007-1"),
                                        ("facts.occupation_code", "4-07\u200f-01")])
def test_every_text_field_refuses_control_and_bidi_characters(applications, path, value):
    body = skill_upgrade_body(seq=302)
    parent, leaf = path.split(".")
    body[parent][leaf] = value
    r = applications.post("/v1/claims", json=body, headers={**auth("applicant", "p-any"), "Idempotency-Key": path})
    assert r.status_code == 422 and path in [e["field"] for e in r.json()["errors"]], r.text


def test_text_is_kept_in_nfc(applications):
    body = skill_upgrade_body(seq=303)
    body["payee_account"]["account_name"] = "Jose\u0301 张"  # e + combining acute: NFC is é
    r = applications.post("/v1/claims", json=body, headers={**auth("applicant", "p-nfc"), "Idempotency-Key": "nfc"})
    assert r.status_code == 201, r.text
    stored = applications.get(f"/internal/v1/claims/{r.json()['claim_id']}", headers=service_auth()).json()["body"]
    assert stored["payee_account"]["account_name"] == "Jos\u00e9 张"


def test_a_payee_correction_gets_the_same_check(applications):
    r = applications.put(f"/v1/claims/{uuid.uuid4()}/payee-account", headers=auth("applicant", "p-fix"),
                         json={"account_number": "6222020200000001", "account_name": "张\u0001三", "bank": "ICBC"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "account_name", r.text
