"""Parameters the seeds leave unset never pay on a guess: every one is reached by a case that expects
PARAMETER_NOT_SET, and a draft policy an operator activates still refuses until its parameters are set."""

import shutil
from datetime import date
from pathlib import Path

import pytest

from services.disbursement.domain.rules import UnknownParameter, evaluate
from shared.catalog import DEFAULT_CATALOG_DIR, CatalogError, load_catalog
from shared.claims import parse_claim
from shared.identifiers import make_resident_id, make_uscc
from tests.disbursement.rules.case_support import load_case_files, run_case

CATALOG = load_catalog()


def test_every_unset_parameter_of_a_policy_in_force_is_refused_by_some_case() -> None:
    unset = {p.id for policy in CATALOG.policies.values() if policy.status == "in_force"
             for p in policy.parameters if not p.values}
    reached: set[str] = set()
    for _, file in load_case_files():
        for case in file.cases:
            if "PARAMETER_NOT_SET" in case.expected.reasons:
                decision = run_case(file, case, CATALOG)
                reached |= {pid for pid in unset for r in decision.reasons if r.code == "PARAMETER_NOT_SET" and pid in r.message}
    assert unset and reached == unset


def _activated_pingdingshan(tmp_path: Path):
    shutil.copytree(DEFAULT_CATALOG_DIR / "policies", tmp_path / "policies")
    shutil.copy(DEFAULT_CATALOG_DIR / "index.yaml", tmp_path / "index.yaml")
    policy = tmp_path / "policies" / "pingdingshan-2020.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("status: draft", "status: in_force"), encoding="utf-8")
    return load_catalog(tmp_path)


def _pingdingshan_trainee(retained: int):
    return parse_claim({
        "programme": "trainee", "jurisdiction": "pingdingshan",
        "claimant": {"kind": "organisation", "uscc": make_uscc("91410400MA44A1B2C"), "name": "平顶山某公司"},
        "payee_account": {"account_number": "6222020200012345678", "account_name": "平顶山某公司", "bank": "ICBC"},
        "facts": {"trainee": {"id_number": make_resident_id("410402", date(1999, 1, 1), 5), "name": "学员"},
                  "trainee_category": "graduate", "graduated_on": "2019-07-01", "start_date": "2020-04-01",
                  "agreed_months": 6, "served_months": 6, "contract_signed_on": None,
                  "retention": {"completed": 10, "retained": retained}},
    })


def test_an_activated_draft_still_needs_the_local_minimum_wage(tmp_path: Path) -> None:
    catalog = _activated_pingdingshan(tmp_path)
    decision = evaluate(_pingdingshan_trainee(5), [], catalog, date(2021, 1, 10), pii_key="k")
    assert [(r.code, r.clause) for r in decision.reasons] == [("PARAMETER_NOT_SET", "pingdingshan-2020 §(十三)")]
    assert "pingdingshan-2020.local_minimum_wage_monthly" in decision.reasons[0].message


def test_an_activated_draft_pays_its_share_of_an_operator_set_minimum_wage(tmp_path: Path) -> None:
    catalog = _activated_pingdingshan(tmp_path)
    wage = {"pingdingshan-2020.local_minimum_wage_monthly": "1900.00"}
    retained_half = evaluate(_pingdingshan_trainee(5), [], catalog, date(2021, 1, 10), pii_key="k", parameters=wage)
    below_half = evaluate(_pingdingshan_trainee(4), [], catalog, date(2021, 1, 10), pii_key="k", parameters=wage)
    assert (retained_half.amount_fen, retained_half.tier) == (209000 * 6, "retention_50_plus")  # 110% of 1900.00 x 6
    assert (below_half.amount_fen, below_half.tier) == (133000 * 6, "retention_below_50")  # 70% of 1900.00 x 6


def test_an_override_above_the_clause_ceiling_is_refused() -> None:
    claim = parse_claim({
        "programme": "transport_subsidy", "jurisdiction": "qingyang",
        "claimant": {"kind": "person", "id_number": make_resident_id("620102", date(1988, 8, 18), 1), "name": "沈六"},
        "payee_account": {"account_number": "6222020200012345678", "account_name": "沈六", "bank": "ICBC"},
        "facts": {"poverty_alleviated": True, "destination": "in_province", "departed_on": "2023-03-01"},
    })
    with pytest.raises(UnknownParameter, match="above the maximum 300.00"):
        evaluate(claim, [], CATALOG, date(2024, 1, 10), pii_key="k",
                 parameters={"qingyang-2023.transport_subsidy.amount_in_province": "300.01"})


def test_a_catalog_value_above_the_clause_ceiling_is_refused(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_CATALOG_DIR / "policies", tmp_path / "policies")
    shutil.copy(DEFAULT_CATALOG_DIR / "index.yaml", tmp_path / "index.yaml")
    policy = tmp_path / "policies" / "qingyang-2023.yaml"
    text = policy.read_text(encoding="utf-8")
    old = '    maximum: "600.00"\n    note: "按照不超过600元的标准分档: the grades are not given; not payable until an operator sets the amount (at most 600.00)."\n    values: []'
    assert old in text
    policy.write_text(text.replace(old, old.replace("values: []", 'values:\n      - {effective_from: 2023-01-01, value: "650.00"}')), encoding="utf-8")
    with pytest.raises(CatalogError, match="above the maximum 600.00"):
        load_catalog(tmp_path)
