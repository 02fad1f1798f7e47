"""rules: the pure engine with a realistic history (10k people, caps in play), against OpenFisca on the same claims.

Every claim is a skill-upgrade claim (qingyang-2023 §18), so the whole timed set is what OpenFisca is
compared on (bench.rules_reference): the amounts must agree on every claim, eligible or not, or the run
fails. The timed claims are new ones: each meets the grants its person was already given (0 to 3, about
1.2 on average, so the three-a-year and same-occupation caps bite), never its own. A quarter of the
claimants are on unemployment benefit, so both branches of the insurance condition are in play.
Parsing the claims and loading each one's history happen before the clock starts, as they do before
`evaluate` in the service.

Timed in CPU seconds of this process (a pure function in one process: other engineers' processes on
the machine then enter the figure only through shared caches), in chunks of CHUNK claims alternating
ours and OpenFisca's, after WARM_UP claims through both (OpenFisca's first calculations cost half as
much again as later ones).
"""

import gc
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bench import rules_reference
from bench.harness import Figure, Reference, sized
from services.disbursement.domain.rules import evaluate, grant_record, history_refs
from shared.catalog import Catalog, load_catalog
from shared.claims import Claim, parse_claim
from shared.identifiers import make_resident_id
from tests.support import skill_upgrade_body

PEOPLE, EARLIER, CLAIMS = sized(10_000, 1_000), sized(20_000, 2_000), sized(20_000, 2_000)
PII_KEY, AS_OF = "bench-pii-key", date(2023, 12, 20)
WARM_UP, CHUNK = 200, 2_000
TARGET_PER_SITUATION = 10.0  # our engine ≥ 10× OpenFisca's web API per situation


def _person(index: int) -> dict[str, str]:
    # person_id() repeats after 1,000 sequence numbers; a birth date per thousand keeps all 10k distinct.
    born = date(1990, 5, 17) + timedelta(days=index // 1000)
    return {"kind": "person", "id_number": make_resident_id("621002", born, index % 1000), "name": "张三"}


def _bodies(rng: random.Random, people: list[dict[str, str]], count: int, first: int) -> list[dict[str, Any]]:
    bodies = []
    for n in range(first, first + count):
        body = skill_upgrade_body(n, level=rng.choice([3, 4, 5]), occupation_code=f"4-0{rng.randrange(8)}-01-01",
                                  certificate_issued_on=f"2023-{rng.randrange(1, 13):02d}-10",
                                  ui_contribution_months=rng.choice([6, 12, 30]), receiving_ui_benefit=n % 4 == 0)
        body["claimant"] = rng.choice(people)
        bodies.append(body)
    return bodies


@dataclass
class Workload:
    catalog: Catalog
    bodies: list[dict[str, Any]]  # the timed claims as filed
    claims: list[Claim]  # ... parsed
    history: dict[str, list]  # our engine's grant records by ref
    granted: dict[str, list[tuple[int, str, int]]]  # the same grants by person: (certificate year, occupation, level)


def _workload(rng: random.Random) -> Workload:
    """New claims for 10k people, each with the history its person's earlier claims left (the grants only)."""
    catalog = load_catalog()
    people = [_person(i) for i in range(PEOPLE)]
    history: dict[str, list] = {}
    granted: dict[str, list[tuple[int, str, int]]] = {}
    for n, body in enumerate(_bodies(rng, people, EARLIER, 0)):
        claim = parse_claim(body)
        refs = history_refs(claim, catalog, pii_key=PII_KEY)
        earlier = [g for r in refs for g in history.get(r, [])]
        decision = evaluate(claim, earlier, catalog, AS_OF, pii_key=PII_KEY)
        if decision.outcome == "eligible":
            for r in refs:
                history.setdefault(r, []).append(grant_record(decision, claim_id=f"c{n}"))
            facts = body["facts"]
            granted.setdefault(body["claimant"]["id_number"], []).append(
                (int(facts["certificate_issued_on"][:4]), facts["occupation_code"], facts["level"]))
    bodies = _bodies(rng, people, CLAIMS, EARLIER)
    return Workload(catalog, bodies, [parse_claim(b) for b in bodies], history, granted)


def _cpu(work: Callable[[], list[Any]]) -> tuple[float, list[Any]]:
    started = time.process_time()
    done = work()
    return time.process_time() - started, done


def run() -> list[Figure]:
    work = _workload(random.Random(7))
    inputs = [(c, [g for r in history_refs(c, work.catalog, pii_key=PII_KEY) for g in work.history.get(r, [])])
              for c in work.claims]
    theirs = [rules_reference.inputs_of(b["facts"], work.granted.get(b["claimant"]["id_number"], []))
              for b in work.bodies]
    bodies = rules_reference.situations(theirs)
    # Out of the collector's sight: else a full collection that happens to fall in a timed chunk walks
    # the whole workload and every module this process imported (run alone or in `make bench`, the
    # engine's figure differed 1.7× at the quick size).
    gc.collect()
    gc.freeze()
    try:
        return _timed(work, inputs, theirs, bodies)
    finally:
        gc.unfreeze()


def _timed(work: Workload, inputs: list[tuple[Claim, list]], theirs: list[rules_reference.Inputs],
           bodies: list[dict[str, Any]]) -> list[Figure]:
    def ours(part: slice) -> list[int]:
        decisions = [evaluate(claim, earlier, work.catalog, AS_OF, pii_key=PII_KEY) for claim, earlier in inputs[part]]
        return [d.amount_fen if d.outcome == "eligible" else 0 for d in decisions]

    ours(slice(0, WARM_UP)), rules_reference.per_situation(rules_reference.situations(theirs[:WARM_UP]))
    our_s = their_s = 0.0
    by_us: list[int] = []
    by_situation: list[int] = []
    for first in range(0, len(inputs), CHUNK):  # alternating, so a change in the machine's load meets both
        part = slice(first, first + CHUNK)
        spent, amounts = _cpu(lambda: ours(part))
        our_s, by_us = our_s + spent, by_us + amounts
        spent, amounts = _cpu(lambda: rules_reference.per_situation(bodies[part]))
        their_s, by_situation = their_s + spent, by_situation + amounts
    assert 0 < sum(1 for a in by_us if a) < len(by_us)  # caps and conditions really were in play
    rules_reference.check_agreement(by_us, by_situation, "one situation per claim")
    vector_s, by_vector = rules_reference.vectorised(theirs, times=5)
    rules_reference.check_agreement(by_us, by_vector, "vectorised")
    n = len(inputs)
    return [Figure("claims evaluated per CPU-second", "claims/s", n / our_s, references=(
        Reference("OpenFisca, one situation per claim (its web API's calculate)", "claims/s", n / their_s,
                  TARGET_PER_SITUATION),
        Reference(f"OpenFisca vectorised over the {n:,} claims", "claims/s", n / vector_s)))]
