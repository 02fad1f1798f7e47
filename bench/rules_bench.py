"""rules: the pure engine with a realistic history (10k people, caps in play).

The timed claims are new ones: each meets the grants its person was already given (0 to 3, about 1.2 on
average, so the three-a-year and same-occupation caps bite), never its own. Parsing the claims and
loading each one's history happen before the clock starts, as they do before `evaluate` in the service.
"""

import random
import time
from datetime import date, timedelta

from bench.harness import Figure
from services.disbursement.domain.rules import evaluate, grant_record, history_refs
from shared.catalog import load_catalog
from shared.claims import Claim, parse_claim
from shared.identifiers import make_resident_id
from tests.support import skill_upgrade_body

PEOPLE, EARLIER, CLAIMS, PII_KEY = 10_000, 20_000, 20_000, "bench-pii-key"
AS_OF = date(2023, 12, 20)


def _person(index: int) -> dict[str, str]:
    # person_id() repeats after 1,000 sequence numbers; a birth date per thousand keeps all 10k distinct.
    born = date(1990, 5, 17) + timedelta(days=index // 1000)
    return {"kind": "person", "id_number": make_resident_id("621002", born, index % 1000), "name": "张三"}


def _claims(rng: random.Random, people: list[dict[str, str]], count: int, first: int) -> list[Claim]:
    claims = []
    for n in range(first, first + count):
        body = skill_upgrade_body(n, level=rng.choice([3, 4, 5]), occupation_code=f"4-0{rng.randrange(8)}-01-01",
                                  certificate_issued_on=f"2023-{rng.randrange(1, 13):02d}-10",
                                  ui_contribution_months=rng.choice([6, 12, 30]))
        body["claimant"] = rng.choice(people)
        claims.append(parse_claim(body))
    return claims


def _workload(rng: random.Random):  # type: ignore[no-untyped-def]
    """New claims for 10k people, each with the history its person's earlier claims left (the grants only)."""
    catalog = load_catalog()
    people = [_person(i) for i in range(PEOPLE)]
    history: dict[str, list] = {}
    for n, claim in enumerate(_claims(rng, people, EARLIER, 0)):
        refs = history_refs(claim, catalog, pii_key=PII_KEY)
        earlier = [g for r in refs for g in history.get(r, [])]
        decision = evaluate(claim, earlier, catalog, AS_OF, pii_key=PII_KEY)
        if decision.outcome == "eligible":
            for r in refs:
                history.setdefault(r, []).append(grant_record(decision, claim_id=f"c{n}"))
    return catalog, _claims(rng, people, CLAIMS, EARLIER), history


def run() -> list[Figure]:
    catalog, claims, history = _workload(random.Random(7))
    inputs = [(c, [g for r in history_refs(c, catalog, pii_key=PII_KEY) for g in history.get(r, [])]) for c in claims]
    started = time.perf_counter()
    eligible = 0
    for claim, earlier in inputs:
        eligible += evaluate(claim, earlier, catalog, AS_OF, pii_key=PII_KEY).outcome == "eligible"
    elapsed = time.perf_counter() - started
    assert 0 < eligible < len(inputs)  # caps and conditions really were in play
    return [Figure("claims evaluated per second", "claims/s", len(inputs) / elapsed, 20_000)]
