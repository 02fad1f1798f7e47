"""Caps and exclusivity hold when many claims for one person are decided at the same moment on PostgreSQL."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from services.disbursement.db.tables import DecisionRow, GrantRow
from services.disbursement.domain.rules.dates import add_months
from services.disbursement.service.claim_deciding import decide
from shared.catalog import load_catalog
from shared.claims import parse_claim
from shared.db import make_engine, unit_of_work
from shared.migrations import upgrade_service
from tests.support import hiring_body, person_id, skill_upgrade_body

PII_KEY = "test-pii-key"
FILED = datetime(2023, 11, 1, 9, 0, tzinfo=UTC)


def _decide_all(pg_url: str, bodies: list[dict]) -> list[str]:
    upgrade_service("disbursement", pg_url)
    engine = make_engine(pg_url, pool_size=20)
    catalog = load_catalog()

    def one(body: dict) -> str:
        with unit_of_work(engine) as session:
            row = decide(session, claim_id=str(uuid.uuid4()), claim=parse_claim(body), catalog=catalog,
                         pii_key=PII_KEY, submitted_at=FILED)
            return row.outcome

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(one, bodies))
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DecisionRow)).scalar() == len(bodies)
        grants = conn.execute(select(func.count()).select_from(GrantRow)).scalar()
    engine.dispose()
    assert outcomes.count("eligible") == grants
    return outcomes


def test_two_hundred_concurrent_skill_upgrade_claims_for_one_person_yield_exactly_three_grants(pg_url):
    same_person = skill_upgrade_body(1)["claimant"]
    bodies = []
    for i in range(200):
        body = skill_upgrade_body(1000 + i, occupation_code=f"6-{i:02d}-01-01", level=5 - i % 3)
        body["claimant"] = same_person
        bodies.append(body)
    outcomes = _decide_all(pg_url, bodies)
    assert outcomes.count("eligible") == 3


def test_hundred_concurrent_hiring_and_job_expansion_claims_for_one_hire_yield_exactly_one(pg_url):
    hired = hiring_body(1)["facts"]["employee"]
    bodies = []
    for i in range(100):
        body = hiring_body(2000 + i, programme="hiring" if i % 2 else "job_expansion")
        body["facts"]["employee"] = hired  # many employers claim for the same person
        bodies.append(body)
    outcomes = _decide_all(pg_url, bodies)
    assert outcomes.count("eligible") == 1


def test_forty_concurrent_overlapping_period_claims_for_one_business_pay_each_month_once(pg_url):
    """yongchuan-2020 §23 claims of 12 months ending in each month of 2020-2021, filed by forty founders of one
    business at once: every month of 2020-2021 is paid exactly once, whatever order the claims are decided in."""
    bodies = []
    for i in range(40):
        end = add_months(date(2020, 1, 31), i % 24)
        bodies.append({
            "programme": "startup_social_insurance", "jurisdiction": "yongchuan",
            "claimant": {"kind": "person", "id_number": person_id(3000 + i, born=date(1990, 1, 1 + i % 28)), "name": "创业者"},
            "payee_account": {"account_number": f"62270038{i:011d}", "account_name": "创业者", "bank": "CQRCB"},
            "facts": {"founder_category": "graduate", "business_uscc": "92500118MA60C0D1FQ", "business_registered_on": "2019-01-01",
                      "first_business": True, "contribution_period_end": end.isoformat(), "contribution_months": 12,
                      "employer_contributions_paid": "12000.00"}})
    _decide_all(pg_url, bodies)
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        covered = [m for months in conn.execute(select(GrantRow.covered_months)).scalars() for m in months]
        paid = conn.execute(select(func.sum(GrantRow.amount_fen))).scalar()
    engine.dispose()
    assert sorted(covered) == [f"{y}-{m:02d}" for y in (2020, 2021) for m in range(1, 13)]
    assert paid == 24 * 20000  # 200.00 a month (20% of 1000.00), never a month twice
