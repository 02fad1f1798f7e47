"""decide: claims submitted -> decided and visible to the applicant, end to end through Kafka."""

import json
import time
import uuid
from urllib.parse import urlsplit

from sqlalchemy import create_engine, text

from bench.harness import Figure
from bench.procs import running
from bench.rawload import closed_loop, p99, post_request
from bench.services import broker, databases
from tests.support import skill_upgrade_body, token

CLAIMS = 3000
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
    with broker() as bootstrap, databases("applications", "disbursement") as urls:
        prefix = f"bench{uuid.uuid4().hex[:6]}"
        common = {"GRANTS_KAFKA_BOOTSTRAP": bootstrap, "GRANTS_TOPIC_PREFIX": prefix}
        with running("applications", {**common, "APPLICATIONS_DATABASE_URL": urls["applications"]}) as proc:
            apps = proc.url
            env = {**common, "DISBURSEMENT_DATABASE_URL": urls["disbursement"], "APPLICATIONS_URL": apps}
            with running("disbursement", env):
                closed_loop(apps, _requests(apps), 50, 4)  # warm-up: consumer groups joined, topics created
                deadline = time.monotonic() + 60
                while len(_decided(urls["applications"])) < 50 and time.monotonic() < deadline:
                    time.sleep(0.2)
                started = time.time()
                closed_loop(apps, _requests(apps, first=50), CLAIMS, 16)
                deadline = time.monotonic() + 300
                while len(_decided(urls["applications"])) < CLAIMS + 50 and time.monotonic() < deadline:
                    time.sleep(0.5)
                measured = [(s, d) for s, d in _decided(urls["applications"]) if s >= started]
    if len(measured) < CLAIMS:
        raise RuntimeError(f"only {len(measured)} of {CLAIMS} claims were decided within the time limit")
    last = max(d for _, d in measured)
    return [Figure("submitted -> decided", "claims/s", CLAIMS / (last - started), 300),
            Figure("p99 submit-to-decided latency", "ms", p99([(d - s) * 1000 for s, d in measured]), 1000,
                   higher_is_better=False)]
