"""rules: the pure engine with a realistic history (10k people, caps in play)."""

import random
import time
from datetime import date

from bench.harness import Figure
from services.disbursement.domain.rules import evaluate, grant_record, history_refs
from shared.catalog import load_catalog
from shared.claims import parse_claim
from tests.support import skill_upgrade_body

PEOPLE, CLAIMS, PII_KEY = 10_000, 20_000, "bench-pii-key"


def _workload(rng: random.Random):  # type: ignore[no-untyped-def]
    """Claims for 10k people; each person's earlier grants are their history (0-3, so caps bite)."""
    catalog = load_catalog()
    people = [skill_upgrade_body(i)["claimant"] for i in range(PEOPLE)]
    history: dict[str, list] = {}
    claims = []
    for n in range(CLAIMS):
        person = rng.randrange(PEOPLE)
        body = skill_upgrade_body(n, level=rng.choice([3, 4, 5]), occupation_code=f"4-0{rng.randrange(8)}-01-01",
                                  certificate_issued_on=f"2023-{rng.randrange(1, 13):02d}-10",
                                  ui_contribution_months=rng.choice([6, 12, 30]))
        body["claimant"] = people[person]
        claims.append(parse_claim(body))
    for claim in claims[: CLAIMS // 2]:  # half of them already decided: the history the rest meet
        refs = history_refs(claim, catalog, pii_key=PII_KEY)
        earlier = [g for r in refs for g in history.get(r, [])]
        decision = evaluate(claim, earlier, catalog, date(2023, 12, 20), pii_key=PII_KEY)
        if decision.outcome == "eligible":
            for r in refs:
                history.setdefault(r, []).append(grant_record(decision, claim_id=f"c{id(claim)}"))
    return catalog, claims, history


def run() -> list[Figure]:
    catalog, claims, history = _workload(random.Random(7))
    inputs = [(c, [g for r in history_refs(c, catalog, pii_key=PII_KEY) for g in history.get(r, [])]) for c in claims]
    started = time.perf_counter()
    eligible = 0
    for claim, earlier in inputs:
        eligible += evaluate(claim, earlier, catalog, date(2023, 12, 20), pii_key=PII_KEY).outcome == "eligible"
    elapsed = time.perf_counter() - started
    assert 0 < eligible < len(inputs)  # caps and conditions really were in play
    return [Figure("claims evaluated per second", "claims/s", len(inputs) / elapsed, 20_000)]
