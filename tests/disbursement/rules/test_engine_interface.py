"""The engine's interface as the disbursement service uses it: decision JSON, refs, history records, overrides."""

import json
from datetime import date

import pytest
import typing

from services.disbursement.domain.rules import UnknownParameter, decode_key, evaluate, grant_record, history_refs
from services.disbursement.domain.rules.conditions import KINDS
from shared.catalog import load_catalog
from shared.catalog.schema_conditions import Condition
from shared.claims import parse_claim
from shared.identifiers import make_resident_id, make_uscc, pseudonymise

CATALOG = load_catalog()
KEY = "interface-pii-key"
PERSON = make_resident_id("620102", date(1990, 5, 1), 12)
EMPLOYEE = make_resident_id("620102", date(2000, 3, 15), 2)
EMPLOYER = make_uscc("91621000MA74A1B2C")
BUSINESS = make_uscc("92621000MA74Q2R3T")
ACCOUNT = {"account_number": "6222020200012345678", "account_name": "张三", "bank": "ICBC"}


def skill_upgrade(**facts):
    base = {"certificate_number": "C-1", "occupation_code": "4-01-02-01", "level": 4, "certificate_issued_on": "2023-06-01",
            "ui_contribution_months": 12, "receiving_ui_benefit": False}
    return parse_claim({"programme": "skill_upgrade", "jurisdiction": "qingyang", "payee_account": ACCOUNT,
                        "claimant": {"kind": "person", "id_number": PERSON, "name": "张三"}, "facts": {**base, **facts}})


def hiring():
    return parse_claim({"programme": "hiring", "jurisdiction": "qingyang", "payee_account": ACCOUNT,
                        "claimant": {"kind": "organisation", "uscc": EMPLOYER, "name": "某公司"},
                        "facts": {"employee": {"id_number": EMPLOYEE, "name": "李四"}, "employee_category": "unemployed_youth",
                                  "contract_start": "2023-07-01", "contract_months": 12, "insurance_paid_months": 1}})


def test_an_eligible_decision_renders_the_contract_json() -> None:
    decision = evaluate(skill_upgrade(), [], CATALOG, date(2024, 1, 15), pii_key=KEY)
    document = decision.to_contract_json()
    assert set(document) == {"outcome", "amount", "currency", "fund", "policy_id", "clause", "reasons", "computation"}
    assert (document["outcome"], document["amount"], document["currency"]) == ("eligible", "1500.00", "CNY")
    assert (document["fund"], document["policy_id"], document["clause"]) == ("unemployment_insurance", "qingyang-2023", "qingyang-2023 §18")
    assert all(set(step) == {"step", "value", "clause"} and step["clause"] for step in document["computation"])
    assert {"step": "amount", "value": "1500.00", "clause": "qingyang-2023 §18"} in document["computation"]
    assert any(s["value"] == "1500.00 (effective 2023-01-01 to 2023-12-31)" for s in document["computation"])
    assert decision.catalog_hash == CATALOG.content_hash


def test_a_rejected_decision_has_zero_amount_and_reasons_with_clauses() -> None:
    document = evaluate(skill_upgrade(level=2), [], CATALOG, date(2024, 1, 15), pii_key=KEY).to_contract_json()
    assert document["amount"] == "0.00" and document["outcome"] == "rejected"
    assert document["reasons"] == [{"code": "LEVEL_NOT_COVERED", "message": "level 2 is not paid; paid: 5, 4, 3",
                                    "clause": "qingyang-2023 §18"}]


def test_a_programme_not_offered_has_no_policy_but_a_reason_with_a_clause() -> None:
    claim = parse_claim({"programme": "graduate_hiring", "jurisdiction": "qingyang", "payee_account": ACCOUNT,
                         "claimant": {"kind": "organisation", "uscc": EMPLOYER, "name": "某公司"},
                         "facts": {"employee": {"id_number": EMPLOYEE, "name": "李四"}, "graduated_on": "2023-06-30",
                                   "enterprise_size": "small", "contract_start": "2023-07-01", "contract_months": 12,
                                   "employed_months": 6, "insurance_paid_months": 6}})
    decision = evaluate(claim, [], CATALOG, date(2024, 1, 15), pii_key=KEY)
    assert (decision.policy_id, decision.fund, decision.clause) == (None, None, None)
    [reason] = decision.reasons
    assert reason.code == "PROGRAMME_NOT_OFFERED" and reason.clause == "qingyang-2023 §通知"


def test_no_raw_identity_number_or_name_leaves_the_engine() -> None:
    decision = evaluate(hiring(), [], CATALOG, date(2024, 1, 15), pii_key=KEY)
    text = decision.model_dump_json()
    assert EMPLOYEE not in text and PERSON not in text and "李四" not in text
    assert decision.subject_ref == pseudonymise(EMPLOYEE, KEY)
    assert decision.beneficiary_ref == pseudonymise(EMPLOYER, KEY)
    assert decode_key(decision.qualifying_key) == {"employee": pseudonymise(EMPLOYEE, KEY)}


def test_history_refs_are_the_subject_and_parties_of_the_qualifying_key() -> None:
    assert history_refs(hiring(), CATALOG, pii_key=KEY) == [pseudonymise(EMPLOYEE, KEY)]
    startup = parse_claim({"programme": "startup", "jurisdiction": "qingyang", "payee_account": ACCOUNT,
                           "claimant": {"kind": "person", "id_number": PERSON, "name": "张三"},
                           "facts": {"founder_category": "graduate", "business_uscc": BUSINESS,
                                     "business_registered_on": "2023-05-01", "first_business": True}})
    refs = history_refs(startup, CATALOG, pii_key=KEY)
    assert refs == sorted([pseudonymise(PERSON, KEY), pseudonymise(BUSINESS, KEY)])
    assert evaluate(startup, [], CATALOG, date(2024, 1, 15), pii_key=KEY).lookup_refs == refs


def test_a_grant_record_carries_what_caps_need_and_only_eligible_decisions_become_grants() -> None:
    decision = evaluate(skill_upgrade(), [], CATALOG, date(2024, 1, 15), pii_key=KEY)
    record = grant_record(decision, claim_id="claim-1")
    assert (record.programme, record.policy_id, record.amount_fen, record.fund, record.tier, record.units) == (
        "skill_upgrade", "qingyang-2023", 150000, "unemployment_insurance", "level_4", 1)
    assert record.qualifying_date == date(2023, 6, 1)
    assert decode_key(record.qualifying_key) == {"certificate_number": "C-1", "occupation_code": "4-01-02-01", "level": "4"}
    with pytest.raises(ValueError):
        grant_record(evaluate(skill_upgrade(level=1), [], CATALOG, date(2024, 1, 15), pii_key=KEY), claim_id="claim-2")


def test_a_grant_record_survives_a_json_round_trip_as_history() -> None:
    record = grant_record(evaluate(skill_upgrade(), [], CATALOG, date(2024, 1, 15), pii_key=KEY), claim_id="claim-1")
    stored = type(record).model_validate(json.loads(record.model_dump_json()))
    again = evaluate(skill_upgrade(certificate_number="C-2"), [stored], CATALOG, date(2024, 1, 15), pii_key=KEY)
    assert [r.code for r in again.reasons] == ["ALREADY_GRANTED"]


def test_overrides_must_name_a_known_parameter_with_a_readable_value() -> None:
    with pytest.raises(UnknownParameter):
        evaluate(skill_upgrade(), [], CATALOG, date(2024, 1, 15), pii_key=KEY, parameters={"qingyang-2023.nope": "1.00"})
    with pytest.raises(UnknownParameter):
        evaluate(skill_upgrade(), [], CATALOG, date(2024, 1, 15), pii_key=KEY,
                 parameters={"qingyang-2023.skill_upgrade.min_ui_months": "12.5"})


def test_an_override_is_shown_as_such_in_the_computation() -> None:
    decision = evaluate(skill_upgrade(), [], CATALOG, date(2024, 1, 15), pii_key=KEY,
                        parameters={"qingyang-2023.skill_upgrade.min_ui_months": "13"})
    assert [r.code for r in decision.reasons] == ["INSURANCE_REQUIREMENT"]
    assert any(s.value == "13 (operator override for this evaluation)" for s in decision.computation)


def test_the_same_inputs_give_the_same_decision() -> None:
    first = evaluate(hiring(), [], CATALOG, date(2024, 1, 15), pii_key=KEY)
    assert evaluate(hiring(), [], CATALOG, date(2024, 1, 15), pii_key=KEY) == first


def test_every_condition_kind_of_the_schema_is_implemented() -> None:
    members = typing.get_args(typing.get_args(Condition)[0])
    assert {typing.get_args(m.model_fields["kind"].annotation)[0] for m in members} == KINDS
