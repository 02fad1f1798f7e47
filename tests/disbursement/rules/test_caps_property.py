"""Property: whatever sequence of claims one person makes, the engine never grants more than the caps allow
and never both sides of an exclusive pair (history is fed back exactly as the service would persist it)."""

from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.disbursement.domain.rules import GrantRecord, evaluate, grant_record
from shared.catalog import load_catalog
from shared.claims import parse_claim
from shared.identifiers import make_resident_id, make_uscc

CATALOG = load_catalog()
PII_KEY = "property-pii-key"
PERSON = make_resident_id("620102", date(2001, 4, 4), 31)  # 22 in 2023: an unemployed youth for hiring rules
EMPLOYERS = [make_uscc(f"91621000MA74B{n:03d}X") for n in range(3)]
ACCOUNT = {"account_number": "6222020200012349999", "account_name": "张三", "bank": "ICBC"}
# Mostly inside the policy year, so caps are reached often; sometimes just outside it.
YEAR_DAYS = st.one_of(
    st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31)),
    st.sampled_from([date(2022, 12, 31), date(2024, 1, 1)]),
)

skill_upgrade = st.fixed_dictionaries({
    "programme": st.just("skill_upgrade"),
    "certificate_issued_on": YEAR_DAYS,
    "occupation_code": st.sampled_from(["4-01-02-01", "6-18-01-01", "6-29-01-03"]),
    "level": st.sampled_from([2, 3, 4, 5]),
    "ui_contribution_months": st.sampled_from([0, 11, 12, 30]),
    "receiving_ui_benefit": st.booleans(),
})
hire = st.fixed_dictionaries({
    "programme": st.sampled_from(["hiring", "job_expansion", "hiring_long_term_unemployed"]),
    "employer": st.sampled_from(EMPLOYERS),
    "contract_start": YEAR_DAYS,
    "contract_months": st.integers(6, 36),
    "insurance_paid_months": st.integers(0, 3),
})


def _body(draft: dict) -> dict:
    if draft["programme"] == "skill_upgrade":
        facts = {k: v.isoformat() if isinstance(v, date) else v for k, v in draft.items() if k != "programme"}
        facts["certificate_number"] = f"P-{draft['occupation_code']}-{draft['level']}-{draft['certificate_issued_on']}"
        claimant = {"kind": "person", "id_number": PERSON, "name": "张三"}
    else:
        start = draft["contract_start"]
        facts = {"employee": {"id_number": PERSON, "name": "张三"}, "contract_start": start.isoformat(),
                 "contract_months": draft["contract_months"]}
        if draft["programme"] == "hiring_long_term_unemployed":
            facts["unemployed_registered_on"] = (start - timedelta(days=200)).isoformat()
        else:
            facts.update(employee_category="unemployed_youth", insurance_paid_months=draft["insurance_paid_months"])
        claimant = {"kind": "organisation", "uscc": draft["employer"], "name": "某公司"}
    return {"programme": draft["programme"], "jurisdiction": "qingyang", "claimant": claimant,
            "payee_account": ACCOUNT, "facts": facts}


def _grant_all(drafts: list[dict]) -> list[tuple[dict, GrantRecord]]:
    history: list[GrantRecord] = []
    granted = []
    for index, draft in enumerate(drafts):
        decision = evaluate(parse_claim(_body(draft)), history, CATALOG, date(2024, 3, 1), pii_key=PII_KEY)
        if decision.outcome == "eligible":
            record = grant_record(decision, claim_id=f"c{index}")
            history.append(record)
            granted.append((draft, record))
    return granted


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(st.one_of(skill_upgrade, hire), min_size=3, max_size=16))
def test_caps_and_exclusions_hold_for_any_sequence_of_claims(drafts: list[dict]) -> None:
    granted = _grant_all(drafts)
    upgrades = [d for d, _ in granted if d["programme"] == "skill_upgrade"]
    per_year = Counter(d["certificate_issued_on"].year for d in upgrades)
    assert all(count <= 3 for count in per_year.values()), per_year
    repeats = Counter((d["occupation_code"], d["level"]) for d in upgrades)
    assert all(count == 1 for count in repeats.values()), repeats
    assert all(r.amount_fen in (100000, 150000, 200000) for d, r in granted if d["programme"] == "skill_upgrade")
    hires = Counter(d["programme"] for d, _ in granted if d["programme"] != "skill_upgrade")
    assert hires["hiring"] + hires["hiring_long_term_unemployed"] <= 1, hires  # one one-time hiring subsidy per person
    assert hires["job_expansion"] <= 1, hires
    assert not (hires["hiring"] and hires["job_expansion"]), hires  # qingyang-2023 §8: never both


@settings(max_examples=50, deadline=None, database=None)
@given(st.lists(skill_upgrade, min_size=4, max_size=12))
def test_the_order_of_evaluation_never_lets_more_through_than_the_caps(drafts: list[dict]) -> None:
    forward, backward = _grant_all(drafts), _grant_all(list(reversed(drafts)))
    for granted in (forward, backward):
        years = Counter(d["certificate_issued_on"].year for d, _ in granted)
        assert max(years.values(), default=0) <= 3
