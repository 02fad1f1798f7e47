"""decide: claims submitted -> decided and visible to the applicant, end to end through Kafka.

Both services run as docker-compose deploys them (bench.procs.deployed): applications' API in two
processes beside its worker (relay and timeline consumer), disbursement's worker (relay and decider).

References, in the same run: the framework floor (bench.floor_app, two processes, intake's load;
measured before the saturated phase and after the paced one, the two combined) and raw kafka-python
on the same broker with the messages the run published (bench.broker_reference), per claim.
Target: ≥ 20 % of the floor. A claim costs at least three floor-sized pieces of work on the same two
cores (intake's request and row; the decider's fetch of the body over HTTP and its decision rows; the
timeline's row) plus two events through a relay and a consumer each, so a third of the floor is the
design's ceiling; the target is 60 % of it, what a pipeline of polling consumers and relays can hold.
The broker's rates are shown, not judged: they are one to two orders above any figure here, and a
target on them would hold trivially.
"""

import json
import time
import uuid
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from bench.broker_reference import broker_rates
from bench.harness import Figure, sized
from bench.procs import deployed, floor, running
from bench.rawload import closed_loop, open_loop, p99, post_request
from bench.references import floor_rate, pipeline_references
from bench.services import broker, databases, scratch_database
from tests.support import skill_upgrade_body, token

CLAIMS, WARM_UP = sized(3000, 600), 50
TARGET_RATE, PACED_SECONDS = 300, sized(10, 3)
TARGET_RATIO = 0.2
TOKEN = token("applicant", "bench-decide")


def _requests(base: str, first: int = 0):  # type: ignore[no-untyped-def]
    host = urlsplit(base).netloc
    return lambda n: post_request(host, "/v1/claims", {"Authorization": f"Bearer {TOKEN}",
                                                       "Idempotency-Key": uuid.uuid4().hex},
                                  json.dumps(skill_upgrade_body(first + n)).encode())


def _decided(apps_db: str) -> list[tuple[float, float]]:
    """(submitted, decided) epoch seconds of every claim the applicant already sees decided."""
    engine = create_engine(apps_db)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT EXTRACT(EPOCH FROM c.submitted_at), EXTRACT(EPOCH FROM h.at) "
            "FROM claims c JOIN claim_history h ON h.claim_id = c.claim_id "
            "WHERE h.status IN ('eligible', 'rejected')")).all()
    engine.dispose()
    return [(float(a), float(b)) for a, b in rows]


def run() -> list[Figure]:
    with broker() as bootstrap, databases("applications", "disbursement") as urls, scratch_database() as floor_db, \
            floor(floor_db, processes=2) as plain:
        prefix = f"bench{uuid.uuid4().hex[:6]}"
        common = {"GRANTS_KAFKA_BOOTSTRAP": bootstrap, "GRANTS_TOPIC_PREFIX": prefix}
        with deployed("applications", {**common, "APPLICATIONS_DATABASE_URL": urls["applications"]}) as (proc, _):
            apps = proc.url
            env = {**common, "DISBURSEMENT_DATABASE_URL": urls["disbursement"], "APPLICATIONS_URL": apps}
            with running("disbursement", env, command="worker"):
                closed_loop(apps, _requests(apps), WARM_UP, 4)  # consumer groups joined, topics created
                filed = _await_decided(urls["applications"], WARM_UP)
                floor_before = floor_rate(plain.url)
                # Throughput: as fast as 16 applicants' connections file (more than the decider takes).
                started = time.time()
                closed_loop(apps, _requests(apps, first=filed), CLAIMS, 16)
                saturated = [d for s, d in _await_decided_since(urls["applications"], filed + CLAIMS, started)]
                filed += CLAIMS
                # Latency: claims filed on a schedule at the target rate, so queueing shows only if the
                # pipeline cannot keep up with it (under overload p99 would just grow with the run's length).
                paced_from = time.time()
                open_loop(apps, _requests(apps, first=filed), rate=TARGET_RATE, seconds=PACED_SECONDS)
                paced = _await_decided_since(urls["applications"], filed + int(TARGET_RATE * PACED_SECONDS),
                                             paced_from)
                filed += int(TARGET_RATE * PACED_SECONDS)
        floor_after = floor_rate(plain.url)
        raw = broker_rates(bootstrap, prefix)
    return [Figure(f"{CLAIMS:,} claims submitted -> decided, saturated", "claims/s",
                   CLAIMS / (max(saturated) - started),
                   references=pipeline_references(floor_before, floor_after, raw, filed, TARGET_RATIO)),
            Figure(f"p99 submit-to-decided latency at {TARGET_RATE} claims/s", "ms",
                   p99([(d - s) * 1000 for s, d in paced]), 1000, higher_is_better=False)]


def _await_decided(apps_db: str, total: int) -> int:
    deadline = time.monotonic() + 300
    while (done := len(_decided(apps_db))) < total:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {done} of {total} claims were decided within the time limit")
        time.sleep(0.2)  # polling a database: there is nothing to block on
    return done


def _await_decided_since(apps_db: str, total: int, since: float) -> list[tuple[float, float]]:
    """(submitted, decided) of the claims filed since `since`, once `total` claims in all are decided."""
    _await_decided(apps_db, total)
    return [(s, d) for s, d in _decided(apps_db) if s >= since]
