"""Claims decided together (one consumer batch) are judged exactly as if decided one after another:
a cap or an exclusive pair shared by claims of one batch counts the earlier ones, replays are skipped,
and concurrent batches on PostgreSQL still cannot exceed a cap."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import func, select

from services.disbursement.db.tables import DecisionRow, GrantRow, outbox
from services.disbursement.service.claim_deciding import Submitted, decide_many
from shared.catalog import load_catalog
from shared.claims import parse_claim
from shared.db import make_engine, unit_of_work
from shared.migrations import upgrade_service
from tests.support import hiring_body, skill_upgrade_body

PII_KEY = "test-pii-key"
FILED = datetime(2023, 11, 1, 9, 0, tzinfo=UTC)
CATALOG = load_catalog()


def _skill_claims_of_one_person(count: int, first: int = 0) -> list[Submitted]:
    person = skill_upgrade_body(1)["claimant"]
    claims = []
    for i in range(first, first + count):
        body = skill_upgrade_body(100 + i, occupation_code=f"6-{i:02d}-01-01", level=5 - i % 3)
        body["claimant"] = person
        claims.append(Submitted(str(uuid.uuid4()), parse_claim(body), FILED))
    return claims


def _decide(engine, claims: list[Submitted]) -> list[tuple[str, str, list[str]]]:  # type: ignore[no-untyped-def]
    with unit_of_work(engine) as session:
        rows = decide_many(session, claims, catalog=CATALOG, pii_key=PII_KEY)
        return [(r.claim_id, r.outcome, [d["code"] for d in r.document["reasons"]]) for r in rows]


def test_a_cap_shared_by_claims_of_one_batch_counts_the_earlier_claims(db_url):
    upgrade_service("disbursement", db_url)
    engine = make_engine(db_url)
    first = _decide(engine, _skill_claims_of_one_person(5))
    later = _decide(engine, _skill_claims_of_one_person(1, first=5))
    with engine.connect() as conn:
        grants = conn.execute(select(func.count()).select_from(GrantRow)).scalar()
        staged = [json.loads(p)["data"]["claim_id"] for p in conn.execute(select(outbox.c.payload)).scalars()]
    engine.dispose()
    assert [outcome for _, outcome, _ in first] == ["eligible"] * 3 + ["rejected"] * 2
    assert all("CAP_PER_YEAR" in codes for _, _, codes in first[3:])
    assert [outcome for _, outcome, _ in later] == ["rejected"]  # the batch's grants were stored
    assert grants == 3
    assert staged == [claim_id for claim_id, _, _ in first + later]  # one grants.claim.decided each, in order


def test_an_exclusive_pair_inside_one_batch_grants_only_the_first(db_url):
    upgrade_service("disbursement", db_url)
    engine = make_engine(db_url)
    hired = hiring_body(1)["facts"]["employee"]
    claims = []
    for i, programme in enumerate(["job_expansion", "hiring", "job_expansion"]):
        body = hiring_body(50 + i, programme=programme)
        body["facts"]["employee"] = hired
        claims.append(Submitted(str(uuid.uuid4()), parse_claim(body), FILED))
    outcomes = _decide(engine, claims)
    engine.dispose()
    assert [outcome for _, outcome, _ in outcomes] == ["eligible", "rejected", "rejected"]


def test_a_claim_submitted_twice_in_one_batch_or_again_later_is_decided_once(db_url):
    upgrade_service("disbursement", db_url)
    engine = make_engine(db_url)
    [claim] = _skill_claims_of_one_person(1)
    assert len(_decide(engine, [claim, claim])) == 1
    assert _decide(engine, [claim]) == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DecisionRow)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(outbox)).scalar() == 1
    engine.dispose()


def test_concurrent_batches_for_one_person_on_postgresql_yield_exactly_three_grants(pg_url):
    upgrade_service("disbursement", pg_url)
    engine = make_engine(pg_url, pool_size=20)
    batches = [_skill_claims_of_one_person(10, first=10 * b) for b in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = [o for decided in pool.map(lambda b: _decide(engine, b), batches) for _, o, _ in decided]
    with engine.connect() as conn:
        grants = conn.execute(select(func.count()).select_from(GrantRow)).scalar()
    engine.dispose()
    assert len(outcomes) == 200
    assert outcomes.count("eligible") == 3 == grants
