"""e2e: claims from HTTP intake to posted in the audit ledger, the three services deployed as docker-compose
deploys them (bench.procs.deployed: APIs beside workers; the audit needs only its worker here).

Applicants file CLAIMS claims (16 connections, closed loop, bench.rawload: a load generator cheap
enough not to take the services' CPU on this 2-core machine); the applications relay publishes them, the
disbursement decider fetches their bodies and decides them (all eligible: distinct people and
certificates); as soon as the last is decided a finance officer drafts the fund's batch and two
checkers approve it (it is over the dual-approval threshold); the audit posts every issued payment.
Measured from the first request to the last ledger post.

References, in the same run: the framework floor (bench.floor_app, two processes, intake's load;
measured before the timed claims and after the services stop, the two combined) and raw kafka-python
on the same broker with every message the run published (bench.broker_reference), per claim. Target:
≥ 15 % of the floor. A claim costs what decide's does (a ceiling of a third of the floor, see
bench.decide_bench) plus its payment: a batch item, an issued event through the relay and the audit's
five ledger rows, all on the same two cores, which brings the ceiling to about a quarter; the target
is 60 % of it, as decide's. The broker's rates are shown, not judged (one to two orders above).

Scaled: intake alone runs at a few hundred claims/s here, so 100,000 claims cannot make three runs in
the bench budget. A run pushes CLAIMS through and the time for 100,000 is projected linearly from it
(which ignores that 100,000 claims need five batches at the 20,000 cap, and that the ledger's
per-event cost grows with its size: optimistic).
"""

import json
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from bench.broker_reference import broker_rates
from bench.harness import Figure, sized
from bench.procs import deployed, floor, profiled, running, scalar, wait_for
from bench.rawload import closed_loop, post_request
from bench.references import floor_rate, pipeline_references
from bench.services import broker, databases, scratch_database
from tests.support import auth, person_id, skill_upgrade_body, token

CLAIMS, WARM_UP, FULL, FUND = sized(1_500, 300), 20, 100_000, "unemployment_insurance"
TARGET_RATIO = 0.15
APPLICANT = token("applicant", "bench-e2e")


def _body(n: int) -> dict[str, Any]:
    """A claim of its own person (resident ids repeat every 1,000 sequence numbers, so vary the birth date)."""
    body = skill_upgrade_body(n)
    body["claimant"]["id_number"] = person_id(n % 1000, born=date(1975, 1, 1) + timedelta(days=3 * (n // 1000)))
    return body


def _requests(base: str, first: int, count: int) -> Callable[[int], bytes]:
    """Claims first .. first+count-1 as ready-made HTTP requests (encoded before the clock starts)."""
    host, run = urlsplit(base).netloc, uuid.uuid4().hex[:8]
    made = [post_request(host, "/v1/claims", {"Authorization": f"Bearer {APPLICANT}", "Idempotency-Key": f"{run}-{n}"},
                         json.dumps(_body(n)).encode()) for n in range(first, first + count)]
    return lambda n: made[n]


def _pay_everything_eligible(base: str) -> None:
    """The officer's part: draft every eligible claim of the fund (20,000 a batch at most) and approve."""
    with httpx.Client(base_url=base, timeout=600) as http:
        while True:
            drafted = http.post("/v1/batches", json={"fund": FUND}, headers=auth("officer", "officer-maker"))
            if drafted.status_code == 409 and drafted.json()["type"].endswith("/claims-not-batchable"):
                return  # nothing eligible left
            drafted.raise_for_status()
            batch_id = drafted.json()["batch_id"]
            for checker in ("officer-checker-1", "officer-checker-2"):
                approved = http.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", checker))
                approved.raise_for_status()
                if approved.json()["status"] == "approved":
                    break


def _await_decided(urls: dict[str, str], total: int) -> None:
    wait_for(lambda: _count(urls["disbursement"], "decisions") >= total, 600, "the claims to be decided")
    eligible = _count(urls["disbursement"], "decisions WHERE outcome = 'eligible'")
    if eligible != total:
        raise RuntimeError(f"{total - eligible} claims were not eligible; see the decisions table")


def _await_posted(urls: dict[str, str], total: int) -> float:
    """Epoch seconds of the last ledger post, once `total` payments are posted (an entry's posted_at is
    the payment's issue time, so the moment the audit took its issued event in is read instead)."""
    wait_for(lambda: _count(urls["audit"], "ledger_entries") >= total, 600, "the payments to be posted")
    return float(scalar(urls["audit"], "SELECT EXTRACT(EPOCH FROM max(received_at)) FROM received_events "
                                       "WHERE type = 'grants.payment.issued'"))


def _count(url: str, table: str) -> int:
    return int(scalar(url, f"SELECT count(*) FROM {table}"))


def run() -> list[Figure]:
    prefix = f"be{uuid.uuid4().hex[:8]}"
    with broker() as bootstrap, databases("applications", "disbursement", "audit") as urls, \
            scratch_database() as floor_db, floor(floor_db, processes=2) as plain:
        common = {"GRANTS_KAFKA_BOOTSTRAP": bootstrap, "GRANTS_TOPIC_PREFIX": prefix,
                  "GRANTS_OFFICER_DAILY_LIMIT": "1000000000.00"}
        with deployed("applications", {**common, "APPLICATIONS_DATABASE_URL": urls["applications"]}) as (apps, apps_w), \
                deployed("disbursement", {**common, "DISBURSEMENT_DATABASE_URL": urls["disbursement"],
                                          "APPLICATIONS_URL": apps.url}, api_processes=1) as (disb, disb_w), \
                running("audit", {**common, "AUDIT_DATABASE_URL": urls["audit"]}, command="worker") as audit:
            # a few claims all the way through first: every consumer group joined, every topic made
            closed_loop(apps.url, _requests(apps.url, 0, WARM_UP), WARM_UP, 4)
            _await_decided(urls, WARM_UP)
            _pay_everything_eligible(disb.url)
            _await_posted(urls, WARM_UP)
            floor_before = floor_rate(plain.url)
            requests = _requests(apps.url, WARM_UP, CLAIMS)
            with profiled(apps_w, "e2e-applications"), profiled(disb_w, "e2e-disbursement"), profiled(audit, "e2e-audit"):
                started = time.time()
                closed_loop(apps.url, requests, CLAIMS, 16)
                filed = time.time()
                _await_decided(urls, WARM_UP + CLAIMS)
                decided = time.time()
                _pay_everything_eligible(disb.url)
                last = _await_posted(urls, WARM_UP + CLAIMS)
        floor_after = floor_rate(plain.url)
        raw = broker_rates(bootstrap, prefix)
    elapsed = last - started
    return [Figure(f"{CLAIMS:,} claims intake -> ledger", "claims/s", CLAIMS / elapsed,
                   references=pipeline_references(floor_before, floor_after, raw, WARM_UP + CLAIMS, TARGET_RATIO)),
            Figure(f"projected: {FULL:,} claims intake -> ledger", "s", elapsed * FULL / CLAIMS,
                   higher_is_better=False),
            Figure("stage: HTTP intake", "s", filed - started, None, higher_is_better=False),
            Figure("stage: last decision after intake", "s", decided - filed, None, higher_is_better=False),
            Figure("stage: batch, approval, ledger", "s", last - decided, None, higher_is_better=False)]
