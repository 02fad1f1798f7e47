"""intake: HTTP claim intake, sustained, applications service on PostgreSQL."""

import uuid

import httpx

from bench.harness import Figure
from bench.load import closed_loop, open_loop, p99
from bench.services import databases, service
from tests.support import skill_upgrade_body, token

RUN = uuid.uuid4().hex[:6]


def _file(client: httpx.Client, n: int) -> httpx.Response:
    return client.post("/v1/claims", json=skill_upgrade_body(n % 1000),
                       headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": f"{RUN}-{uuid.uuid4().hex}"})


TOKEN = token("applicant", "bench-applicant")


def run() -> list[Figure]:
    with databases("applications") as urls:
        env = {"APPLICATIONS_DATABASE_URL": urls["applications"], "GRANTS_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
        with service("applications", env, workers=False) as base:
            closed_loop(base, _file, 200, 8)  # warm-up
            throughput, _ = closed_loop(base, _file, 3000, 16)
            latencies = open_loop(base, _file, rate=200, seconds=10)
    return [Figure("sustained intake", "claims/s", throughput, 500),
            Figure("p99 latency at 200 claims/s", "ms", p99(latencies), 50, higher_is_better=False)]
