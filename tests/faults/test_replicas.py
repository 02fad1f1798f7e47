"""Several replicas of every worker (issue 11 point 3): two `grants worker` processes per service on PostgreSQL,
one consumer group each, claims filed through the applications API all the way to the audit's ledger, one
disbursement worker (the one whose relay holds the lease) SIGKILLed midway. Every claim is decided once, a
claim filed twice for the same certificate is excluded, each payment is posted once, every fund's chain
verifies, and each service's outbox had one publisher at a time (the lease intervals from the relays' logs)."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi.testclient import TestClient

from bench.e2e_bench import _body
from bench.procs import running
from bench.services import databases
from services.audit.main import create_app as create_audit
from services.audit.service.signing_key import write_new_key
from services.disbursement.main import create_app as create_disbursement
from tests.audit.support import audit_settings
from tests.disbursement.factories import finance_settings
from tests.faults.conditions import wait_for
from tests.faults.replicas import SERVICES, Deployment, overlapping, rows, scalar
from tests.faults.sizes import sized
from tests.support import auth

CLAIMS, TWICE = sized(3_000, 10_000), sized(50, 150)  # point 3: at least 3,000 claims, in make test too
FUND = "unemployment_insurance"


def _file(base: str, bodies: list[dict]) -> list[str]:  # type: ignore[type-arg]
    headers = auth("applicant", "replica-test")

    def one(body: dict) -> str:  # type: ignore[type-arg]
        with httpx.Client(base_url=base, timeout=60) as http:
            answer = http.post("/v1/claims", json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
            assert answer.status_code == 201, answer.text
            return answer.json()["claim_id"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, bodies))


def _pay_everything_eligible(api: TestClient) -> None:
    while True:
        drafted = api.post("/v1/batches", json={"fund": FUND}, headers=auth("officer", "maker"))
        if drafted.status_code == 409:
            return  # nothing eligible left
        assert drafted.status_code == 201, drafted.text
        for checker in ("checker-1", "checker-2"):
            approved = api.post(f"/v1/batches/{drafted.json()['batch_id']}/approve", headers=auth("officer", checker))
            assert approved.status_code == 200, approved.text
            if approved.json()["status"] == "approved":
                break


def test_two_workers_per_service_one_killed_midway_decide_pay_and_post_every_claim_once(
        broker, topic_prefix, tmp_path, fault_seed):
    key_file = tmp_path / "checkpoint.pem"
    write_new_key(key_file)
    with databases(*SERVICES) as urls:
        env = {"GRANTS_ENV": "test", "GRANTS_KAFKA_BOOTSTRAP": broker, "GRANTS_TOPIC_PREFIX": topic_prefix,
               "APPLICATIONS_DATABASE_URL": urls["applications"], "DISBURSEMENT_DATABASE_URL": urls["disbursement"],
               "AUDIT_DATABASE_URL": urls["audit"], "AUDIT_CHECKPOINT_KEY_FILE": str(key_file)}
        deployment = Deployment(tmp_path, env)
        with running("applications", env, workers=False) as applications:
            deployment.env["APPLICATIONS_URL"] = applications.url
            try:
                for service in SERVICES:
                    for _ in range(2):
                        deployment.start_worker(service)
                _run(deployment, applications.url, urls, fault_seed)
            finally:
                deployment.stop()


def _run(deployment: Deployment, intake: str, urls: dict[str, str], rng) -> None:  # type: ignore[no-untyped-def]
    disbursement = urls["disbursement"]
    bodies = [_body(n) for n in range(CLAIMS)]
    twice = rng.sample(range(CLAIMS), TWICE)  # the same person and certificate filed again: excluded

    def decided() -> int:
        return scalar(disbursement, "SELECT count(*) FROM decisions")

    filing = threading.Thread(target=lambda: claim_ids.extend(_file(intake, bodies + [bodies[n] for n in twice])))
    claim_ids: list[str] = []
    filing.start()
    kill_at = rng.randrange(CLAIMS // 4, CLAIMS * 3 // 4)
    wait_for(lambda: decided() >= kill_at, timeout=sized(900, 3600), every=0.2, what=f"{kill_at} claims decided")
    holders = [w for w in deployment.of("disbursement") if w.lease_intervals(time.time())]
    victim = holders[0] if len(holders) == 1 else deployment.of("disbursement")[0]
    victim.kill()
    filing.join()
    total = CLAIMS + TWICE
    wait_for(lambda: decided() >= total, timeout=sized(900, 3600), every=0.5, what=f"all {total} claims decided")

    # every claim decided once: one decision row each, and one grants.claim.decided in the outbox
    assert scalar(disbursement, "SELECT count(*) FROM decisions") == total
    per_claim = rows(disbursement, "SELECT payload::json->'data'->>'claim_id', count(*) FROM outbox "
                                   "WHERE payload::json->>'type' = 'grants.claim.decided' GROUP BY 1")
    assert len(per_claim) == total and {n for _, n in per_claim} == {1}
    eligible = scalar(disbursement, "SELECT count(*) FROM decisions WHERE outcome = 'eligible'")
    assert eligible == CLAIMS, "a claim filed twice for one certificate was granted twice, or a first one refused"
    assert scalar(disbursement, "SELECT max(n) FROM (SELECT count(*) AS n FROM grants WHERE active "
                                "GROUP BY subject_ref, qualifying_key) AS g") == 1

    api_settings = finance_settings(disbursement, prefix="unused", grants_officer_daily_limit="1000000000.00",
                                    applications_url=deployment.env["APPLICATIONS_URL"])
    with TestClient(create_disbursement(api_settings, run_workers=False)) as api:
        _pay_everything_eligible(api)
    wait_for(lambda: scalar(urls["audit"], "SELECT count(*) FROM ledger_entries WHERE payment_id IS NOT NULL") >= CLAIMS,
             timeout=sized(600, 2400), every=0.5, what=f"{CLAIMS} payments posted in the ledger")
    assert scalar(urls["audit"], "SELECT count(DISTINCT payment_id) FROM ledger_entries "
                                 "WHERE payment_id IS NOT NULL") == CLAIMS
    assert scalar(disbursement, "SELECT count(*) FROM payments") == CLAIMS
    with TestClient(create_audit(audit_settings(urls["audit"]), run_workers=False)) as audit:
        verified = audit.get("/v1/ledger/verify", headers=auth("auditor", "auditor-1"))
        assert verified.status_code == 200 and verified.json()["ok"], verified.text

    # one publisher per service at a time: the relays' lease intervals never overlap, and the killed
    # worker's relay (the holder) was followed by the other's
    end = time.time()
    held = {service: [(start, stop, i) for i, w in enumerate(deployment.of(service))
                      for start, stop in w.lease_intervals(end)] for service in SERVICES}
    for service, intervals in held.items():
        assert intervals, f"no {service} relay ever held the lease"
        assert not overlapping(intervals), f"two {service} relays held the lease at once: {intervals}"
    survivor = deployment.of("disbursement").index(victim) ^ 1
    assert holders == [victim] and any(start >= victim.killed_at for start, _, i in held["disbursement"] if i == survivor)
    print(f"killed the disbursement worker holding the lease after {kill_at} decisions; lease intervals (s):",
          {s: [(round(a - victim.killed_at, 2), round(b - victim.killed_at, 2), i) for a, b, i in v] for s, v in held.items()})
