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
    ]
