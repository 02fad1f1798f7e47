"""intake: HTTP claim intake, sustained, applications service on PostgreSQL."""

import json
import uuid
from urllib.parse import urlsplit

from bench.harness import Figure
from bench.rawload import closed_loop, open_loop, p99, post_request
from bench.procs import running
from bench.services import databases
from tests.support import skill_upgrade_body, token

TOKEN = token("applicant", "bench-applicant")
BODIES = [json.dumps(skill_upgrade_body(i)).encode() for i in range(1000)]


def _requests(base: str):  # type: ignore[no-untyped-def]
    host = urlsplit(base).netloc
    run = uuid.uuid4().hex[:8]
    return lambda n: post_request(host, "/v1/claims", {"Authorization": f"Bearer {TOKEN}",
                                                       "Idempotency-Key": f"{run}-{n}"}, BODIES[n % 1000])


def run() -> list[Figure]:
    with databases("applications") as urls:
        env = {"APPLICATIONS_DATABASE_URL": urls["applications"], "GRANTS_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
        with running("applications", env, workers=False, processes=2) as proc:
            base = proc.url
            closed_loop(base, _requests(base), 300, 8)  # warm-up
            throughput, _ = closed_loop(base, _requests(base), 4000, 32)
            latencies = open_loop(base, _requests(base), rate=200, seconds=10)
    return [Figure("sustained intake", "claims/s", throughput, 500),
            Figure("p99 latency at 200 claims/s", "ms", p99(latencies), 50, higher_is_better=False)]
