"""The demo's claims: realistic applicants in Qingyang and Yongchuan, including ones the rules must refuse."""

from datetime import date
from typing import Any

from shared.identifiers import make_resident_id, make_uscc


def _person(seq: int, born: date) -> str:
    return make_resident_id("621002", born, seq)


def _account(seq: int) -> dict[str, str]:
    return {"account_number": f"6222 0202 0001 {seq:04d} 321", "account_name": "申请人", "bank": "中国工商银行庆阳分行"}


def skill_upgrade(seq: int, level: int, issued: str, occupation: str = "4-07-01-02", months: int = 14,
                  on_benefit: bool = False, who: int | None = None) -> dict[str, Any]:
    return {
        "programme": "skill_upgrade", "jurisdiction": "qingyang",
        "claimant": {"kind": "person", "id_number": _person(who or seq, date(1991, 4, 12)), "name": "王芳"},
        "payee_account": _account(who or seq),
        "facts": {"certificate_number": f"GS-{seq:05d}", "occupation_code": occupation, "level": level,
                  "certificate_issued_on": issued, "ui_contribution_months": months, "receiving_ui_benefit": on_benefit},
    }


def hiring(seq: int, programme: str, employee_seq: int) -> dict[str, Any]:
    return {
        "programme": programme, "jurisdiction": "qingyang",
        "claimant": {"kind": "organisation", "uscc": make_uscc(f"91621002MA{seq:07d}"), "name": "庆阳市西峰区某科技有限公司"},
        "payee_account": {"account_number": f"6217 0000 {seq:011d}", "account_name": "庆阳市西峰区某科技有限公司", "bank": "中国农业银行"},
        "facts": {"employee": {"id_number": _person(500 + employee_seq, date(2001, 9, 3)), "name": "赵磊"},
                  "employee_category": "graduate", "graduated_on": "2023-06-30", "contract_start": "2023-08-01",
                  "contract_months": 12, "insurance_paid_months": 3},
    }


def _org(seq: int, name: str) -> tuple[dict[str, str], dict[str, str]]:
    claimant = {"kind": "organisation", "uscc": make_uscc(f"91621002MB{seq:07d}"), "name": name}
    account = {"account_number": f"6217 0001 {seq:011d}", "account_name": name, "bank": "中国建设银行"}
    return claimant, account


def _for_person(seq: int, born: date, programme: str, jurisdiction: str, facts: dict[str, Any]) -> dict[str, Any]:
    return {"programme": programme, "jurisdiction": jurisdiction,
            "claimant": {"kind": "person", "id_number": _person(seq, born), "name": "申请人"},
            "payee_account": _account(seq), "facts": facts}


def _paid_to(account_name: str, claim: dict[str, Any]) -> dict[str, Any]:
    """A claim whose payee account is in another person's name: the officer's review flags it and the audit
    raises a finding an auditor then works."""
    return {**claim, "payee_account": {**claim["payee_account"], "account_name": account_name}}


def _for_org(seq: int, name: str, programme: str, jurisdiction: str, facts: dict[str, Any]) -> dict[str, Any]:
    claimant, account = _org(seq, name)
    return {"programme": programme, "jurisdiction": jurisdiction, "claimant": claimant,
            "payee_account": account, "facts": facts}


def other_programmes() -> list[tuple[str, dict[str, Any]]]:
    """One claim for each of the other main programmes of qingyang-2023 and yongchuan-2020."""
    worker = lambda seq, born, name: {"id_number": _person(seq, date.fromisoformat(born)), "name": name}  # noqa: E731
    return [
        ("trainee host, retention 60% (qingyang §12)", _for_org(11, "庆阳市见习基地有限公司", "trainee", "qingyang", {
            "trainee": worker(211, "2001-01-10", "王五"), "trainee_category": "graduate", "graduated_on": "2022-07-01",
            "start_date": "2023-03-01", "agreed_months": 6, "served_months": 6, "contract_signed_on": None,
            "retention": {"completed": 10, "retained": 6}})),
        ("start-up by a graduate (qingyang §14)", _for_person(212, date(1998, 2, 3), "startup", "qingyang", {
            "founder_category": "graduate", "business_uscc": make_uscc("92621000MA74Q2R3T"),
            "business_registered_on": "2023-05-01", "first_business": True})),
        ("hiring a long-term unemployed person (qingyang §22)", _for_org(13, "庆阳市某物流有限公司", "hiring_long_term_unemployed", "qingyang", {
            "employee": worker(213, "1980-09-09", "孙八"), "unemployed_registered_on": "2023-01-01",
            "contract_start": "2023-07-01", "contract_months": 12})),
        ("skill appraisal fee, paid to the father's account (qingyang §19)", _paid_to("申请人之父", _for_person(
            214, date(1995, 6, 1), "skill_appraisal", "qingyang", {
                "certificate_number": "JD-2023-77", "occupation_code": "6-29-01-03", "level": 5,
                "certificate_kind": "skill_level", "certificate_issued_on": "2023-09-01", "first_appraisal": True,
                "subsidised_training": True, "appraisal_fee_paid": "280.00"}))),
        ("job-seeking subsidy (qingyang §22)", _for_person(215, date(2002, 4, 4), "job_seeking_subsidy", "qingyang", {
            "hardship_category": "low_income_family", "graduating_on": "2024-06-30", "applied_on": "2023-10-15"})),
        ("labour-transfer award (qingyang §21)", _for_org(16, "庆阳市人力资源服务公司", "labour_transfer_award", "qingyang", {
            "worker": worker(216, "1985-11-11", "吴十"), "poverty_alleviated": True,
            "employer_uscc": make_uscc("91500118MA60C0D1E"), "contract_start": "2023-03-01",
            "contract_months_performed": 6})),
        ("SME hires a 2020 graduate (yongchuan §36)", _for_org(17, "永川区某制造有限公司", "graduate_hiring", "yongchuan", {
            "employee": worker(217, "1998-05-05", "冯二"), "graduated_on": "2020-06-30", "enterprise_size": "small",
            "contract_start": "2020-07-01", "contract_months": 12, "employed_months": 6, "insurance_paid_months": 6})),
        ("hiring a hard-to-employ person (yongchuan §60)", _for_org(18, "永川区某服务有限公司", "hiring_hard_to_employ", "yongchuan", {
            "employee": worker(218, "1975-10-10", "陈三"), "hard_to_employ_registered": True,
            "contract_start": "2020-08-01", "contract_months": 12, "insurance_paid_months": 1})),
        ("apprentice certified level 5 (yongchuan §43)", _for_org(19, "永川区某机械有限公司", "apprenticeship", "yongchuan", {
            "apprentice": worker(219, "1999-02-02", "褚四"), "certificate_number": "XT-2020-001",
            "occupation_code": "6-18-01-01", "certificate_kind": "skill_level", "level": 5,
            "certificate_issued_on": "2020-08-15", "training_start": "2019-09-01", "training_months": 12})),
        ("start-up social insurance (yongchuan §23)", _for_person(220, date(1996, 8, 8), "startup_social_insurance", "yongchuan", {
            "founder_category": "graduate", "business_uscc": make_uscc("92500118MA60C0D1F"),
            "business_registered_on": "2019-01-15", "first_business": True, "contribution_period_end": "2020-06-30",
            "contribution_months": 6, "employer_contributions_paid": "5432.10"})),
        *law_round_two(),
    ]


def law_round_two() -> list[tuple[str, dict[str, Any]]]:
    """Issue 13 in the demo: a period overlapping months already granted is paid only for its new months, and an
    enterprise gets its job-retention refund (the layoff rate computed from its headcount and layoffs)."""
    return [
        ("start-up SI, Apr-Sep overlaps Apr-Jun (yongchuan §23)", _for_person(221, date(1993, 3, 3), "startup_social_insurance", "yongchuan", {
            "founder_category": "graduate", "business_uscc": make_uscc("92500118MA60C0D1F"),
            "business_registered_on": "2019-01-15", "first_business": True, "contribution_period_end": "2020-09-30",
            "contribution_months": 6, "employer_contributions_paid": "6000.00"})),
        ("job-retention refund, SME, 4 of 120 laid off (qingyang §1)", _for_org(22, "庆阳市某某制造有限公司", "job_retention_refund", "qingyang", {
            "size_class": "sme", "insured_staff_last_year": 120, "layoffs_last_year": 4,
            "ui_premiums_paid_last_year": "36800.00", "applied_on": "2023-05-10"})),
        ("job-retention refund, 12 of 120 laid off (qingyang §1)", _for_org(23, "庆阳市某某建材有限公司", "job_retention_refund", "qingyang", {
            "size_class": "large", "insured_staff_last_year": 120, "layoffs_last_year": 12,
            "ui_premiums_paid_last_year": "90000.00", "applied_on": "2023-06-01"})),
    ]


def claims() -> list[tuple[str, dict[str, Any]]]:
    """(what the claim shows, body) in filing order."""
    return [
        ("skill upgrade, level 4 (中级)", skill_upgrade(1, 4, "2023-03-10")),
        ("skill upgrade, level 3 (高级), on UI benefit", skill_upgrade(2, 3, "2023-05-20", months=3, on_benefit=True)),
        ("skill upgrade, insured only 8 months", skill_upgrade(3, 5, "2023-06-01", months=8)),
        ("skill upgrade, certificate after the policy end", skill_upgrade(4, 4, "2024-01-05")),
        ("same person: 2nd certificate this year", skill_upgrade(5, 5, "2023-07-01", occupation="6-18-01-01", who=1)),
        ("same person: 3rd certificate this year", skill_upgrade(6, 3, "2023-08-01", occupation="6-18-01-01", who=1)),
        ("same person: 4th certificate this year (cap)", skill_upgrade(7, 5, "2023-09-01", occupation="4-01-02-01", who=1)),
        ("same occupation and level again (never twice)", skill_upgrade(8, 3, "2023-10-01", who=2)),
        ("one-time hiring subsidy for a graduate", hiring(1, "hiring", 1)),
        ("job-expansion for the same hire (double dipping)", hiring(1, "job_expansion", 1)),
        *other_programmes(),
    ]
