"""intake: HTTP claim intake, sustained, applications service on PostgreSQL, against the framework floor.

The floor (bench.floor_app: one FastAPI endpoint inserting the body as one row) runs beside intake in
as many processes, on the same PostgreSQL, loaded by the same generator with the same requests; the
two are loaded in alternating rounds (bench.rawload.alternating) so both see the same moments of the
machine's load. The p99 at a fixed offered rate is judged absolutely; the floor's p99 at that rate is
shown beside it.
"""

import json
import uuid
from urllib.parse import urlsplit

from bench.harness import Figure, Reference, sized
from bench.procs import floor, running
from bench.rawload import RequestBytes, alternating, closed_loop, open_loop, p99, post_request
from bench.services import databases, scratch_database
from tests.support import skill_upgrade_body, token

PROCESSES, CLAIMS, CONCURRENCY = 2, sized(4000, 800), 32
PACED_RATE, PACED_SECONDS = 200, sized(10, 3)
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0
TOKEN = token("applicant", "bench-applicant")
BODIES = [json.dumps(skill_upgrade_body(i)).encode() for i in range(1000)]


def requests(base: str) -> RequestBytes:
    """Intake's requests, fresh idempotency keys on every call (the floor is sent the same bytes)."""
    host = urlsplit(base).netloc
    run = uuid.uuid4().hex[:8]
    return lambda n: post_request(host, "/v1/claims", {"Authorization": f"Bearer {TOKEN}",
                                                       "Idempotency-Key": f"{run}-{n}"}, BODIES[n % 1000])


def run() -> list[Figure]:
    with databases("applications") as urls, scratch_database() as floor_db:
        env = {"APPLICATIONS_DATABASE_URL": urls["applications"], "GRANTS_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
        with running("applications", env, workers=False, processes=PROCESSES) as intake, \
                floor(floor_db, processes=PROCESSES) as plain:
            for proc in (intake, plain):
                closed_loop(proc.url, requests(proc.url), 300, 8)  # warm-up
            rates = alternating({"intake": (intake.url, requests(intake.url)),
                                 "floor": (plain.url, requests(plain.url))}, CLAIMS, CONCURRENCY)
            latencies = open_loop(intake.url, requests(intake.url), rate=PACED_RATE, seconds=PACED_SECONDS)
            floor_latencies = open_loop(plain.url, requests(plain.url), rate=PACED_RATE, seconds=PACED_SECONDS)
    return [Figure("sustained intake", "claims/s", rates["intake"], references=(
                Reference(f"one-row FastAPI endpoint, {PROCESSES} processes, same load", "requests/s",
                          rates["floor"], TARGET_RATIO),)),
            Figure(f"p99 latency at {PACED_RATE} claims/s", "ms", p99(latencies), TARGET_P99_MS,
                   higher_is_better=False,
                   references=(Reference(f"the one-row endpoint's p99 at {PACED_RATE}/s", "ms",
                                         p99(floor_latencies)),))]
