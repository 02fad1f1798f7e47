"""Issue 12 point 5: money is written one way, ^-?[0-9]{1,15}(.[0-9]{1,2})?$ in ASCII, wherever it enters;
anything else is a 422 naming the field (a bank file line: an invalid line), never a 500, never accepted."""

import pytest

from shared.money import parse_fen
from tests.support import auth, skill_upgrade_body

HOSTILE = ["1e30", "1e400", "１.００", " 1.00", "1.00 ", "1,000.00", "NaN", "Infinity", "0x10", "1_000",
           "9999999999999999", "1.234", "+1.00", "", "٣.٠٠"]
ADMIN = auth("admin", "adm-money")


@pytest.mark.parametrize("text", HOSTILE)
def test_parse_fen_refuses_every_other_spelling_with_a_value_error(text):
    with pytest.raises(ValueError):
        parse_fen(text)


@pytest.mark.parametrize("text,fen", [("1500.00", 150000), ("0.1", 10), ("-5", -500), ("999999999999999.99", 99999999999999999)])
def test_parse_fen_reads_the_written_form(text, fen):
    assert parse_fen(text) == fen


@pytest.mark.parametrize("text", HOSTILE)
def test_a_budget_in_disbursement_is_refused_naming_amount(disbursement, text):
    r = disbursement.put("/v1/funds/unemployment_insurance/budgets/2026", json={"amount": text}, headers=ADMIN)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount", r.text


@pytest.mark.parametrize("text", HOSTILE)
def test_a_budget_in_the_audit_is_refused_naming_amount(audit, text):
    r = audit.put("/v1/budgets/unemployment_insurance/2026", json={"amount": text}, headers=ADMIN)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount", r.text


@pytest.mark.parametrize("text", ["1e30", "１.００", " 1.00", "1e400"])
def test_an_operator_parameter_is_refused_naming_value(disbursement, text):
    r = disbursement.put("/v1/parameters/chongqing-2020.startup.amount", json={"value": text, "reason": "r"},
                         headers=ADMIN)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "value", r.text
    assert disbursement.get("/v1/parameters?limit=500", headers=ADMIN).json()["items"][0]["operator_value"] is None


@pytest.mark.parametrize("text", ["1e30", "１.００", " 1.00", "1e400"])
def test_a_what_if_override_is_refused_naming_the_parameter(disbursement, text):
    body = {**skill_upgrade_body(seq=41), "parameters": {"qingyang-2023.skill_upgrade.amount_level_4": text}}
    r = disbursement.post("/v1/evaluations", json=body, headers=auth("officer", "off-money"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("parameters"), r.text


@pytest.mark.parametrize("text", ["1e30", "１.００", " 1.00"])
def test_money_a_claimant_reports_is_refused_naming_the_fact(applications, text):
    from tests.support import person_id

    body = {"programme": "skill_appraisal", "jurisdiction": "qingyang",
            "claimant": {"kind": "person", "id_number": person_id(77), "name": "王五"},
            "payee_account": {"account_number": "6222020200000077", "account_name": "王五", "bank": "ICBC"},
            "facts": {"certificate_number": "C-77", "occupation_code": "4-07-01-02", "level": 4,
                      "certificate_kind": "skill_level", "certificate_issued_on": "2023-06-15",
                      "first_appraisal": True, "subsidised_training": False, "appraisal_fee_paid": text}}
    r = applications.post("/v1/claims", json=body, headers={**auth("applicant", "a-money"), "Idempotency-Key": text.encode().hex()})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["facts.appraisal_fee_paid"], r.text


@pytest.mark.parametrize("text", ["1e30", "1e400", "9999999999999999.00", "１.００"])
def test_a_bank_return_line_with_such_an_amount_is_an_invalid_line(disbursement, text):
    data = ("end_to_end_id,status,amount,currency,reason_code,reason,value_date\n"
            f"PAY-0001,SETTLED,{text},CNY,,,2024-05-02\n").encode()
    r = disbursement.post("/v1/bank-returns", content=data,
                          headers={**auth("officer", "off-money"), "content-type": "text/csv"})
    assert r.status_code == 200 and r.json()["lines"][0]["outcome"] == "invalid", r.text
