"""batch: a full batch of eligible payments approved, until every event of it is on the topic.

The issue asks for one batch of 100,000. The service cannot hold one: GRANTS_MAX_BATCH_ITEMS is capped at
20,000 because grants.batch.approved lists every payment id and must stay under Kafka's 1 MB message
limit (100,000 ids would be about 3.6 MB). So 100,000 payments are five batches at the cap; a run
approves one of them and the figure for 100,000 is that time five times over (the batches are
independent, approved one after another), reported as a projection beside the measured rate.

Measured: from the completing approval's request (the batch is over the dual-approval threshold, so a
first checker has signed already) to the moment the relay marked the last of its outbox rows
published, i.e. acknowledged by the broker (acks=all). Afterwards the topics are read to markers to
check that each payment's event is there exactly once, with one approval listing them all.

Reference: raw kafka-python producing the batch's messages to the same broker with the relay's
producer settings (bench.broker_reference), in payments/s: before the approval, messages of the same
shape (bench.payment_events, disbursement's own event builders); after it, the very messages read
back from payments.v1 and batches.v1; the two combined. Target: ≥ 25 % of it. The approval writes a
few rows a payment (payment, outbox, state) and the relay reads and updates each outbox row besides
producing it, all in PostgreSQL on the same two cores: done set-based, that is a few times the
producer's own work, not ten times.
"""

import functools
import json
import time
import uuid

import httpx

from bench import seed
from bench.broker_reference import Record, broker_rates, produce_rate
from bench.harness import Figure, Reference, sized
from bench.payment_events import BATCH_CAP, key_of, lifecycle
from bench.procs import profiled, running, scalar, wait_for
from bench.references import bracketed
from bench.services import broker, databases
from bench.topics import append_markers, read_to_markers
from shared.events import PAYMENT_FAILED, PAYMENT_SETTLED, TOPIC_OF_TYPE, topic
from tests.support import auth

FULL, ITEMS, FUND = 100_000, sized(BATCH_CAP, 4_000), "unemployment_insurance"
TARGET_RATIO = 0.25


def _post(http: httpx.Client, path: str, body: dict | None, officer: str) -> dict:
    response = http.post(path, json=body, headers=auth("officer", officer))
    if response.status_code >= 300:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.text[:300]}")
    return response.json()


@functools.cache
def _same_shape() -> list[Record]:
    """A batch's issued events and its approval as disbursement's event builders make them."""
    return [(TOPIC_OF_TYPE[e["type"]], key_of(e).encode(),
             json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode())
            for e in lifecycle(ITEMS, batch_size=ITEMS).events if e["type"] not in (PAYMENT_SETTLED, PAYMENT_FAILED)]


def _unpublished(url: str) -> int:
    return int(scalar(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL"))


def _check_topics(bootstrap: str, prefix: str, batch_id: str) -> None:
    payments, batches = topic(prefix, "payments.v1"), topic(prefix, "batches.v1")
    append_markers(bootstrap, [payments, batches])
    issued = [json.loads(v) for v in read_to_markers(bootstrap, [payments]).values]
    ids = {e["data"]["payment_id"] for e in issued}
    if len(issued) != ITEMS or len(ids) != ITEMS or {e["data"]["batch_id"] for e in issued} != {batch_id}:
        raise RuntimeError(f"{len(issued)} issued events ({len(ids)} payments) on the topic, expected {ITEMS}")
    [approval] = [json.loads(v) for v in read_to_markers(bootstrap, [batches]).values]
    if approval["data"]["count"] != ITEMS or set(approval["data"]["payment_ids"]) != ids:
        raise RuntimeError("the batch approval does not list the issued payments")


def run() -> list[Figure]:
    with broker() as bootstrap, databases("disbursement") as urls:
        url, prefix = urls["disbursement"], f"bb{uuid.uuid4().hex[:8]}"
        seed.eligible_claims(url, ITEMS)
        produce_before = produce_rate(bootstrap, _same_shape())
        env = {"DISBURSEMENT_DATABASE_URL": url, "GRANTS_KAFKA_BOOTSTRAP": bootstrap, "GRANTS_TOPIC_PREFIX": prefix,
               # 20,000 x 1,500.00 is 30 million: over one officer's default 10 million a day
               "GRANTS_OFFICER_DAILY_LIMIT": "1000000000.00", "APPLICATIONS_URL": "http://127.0.0.1:1"}
        with running("disbursement", env) as service, httpx.Client(base_url=service.url, timeout=600) as http:
            batch = _post(http, "/v1/batches", {"fund": FUND}, "officer-maker")
            if batch["count"] != ITEMS:
                raise RuntimeError(f"drafted {batch['count']} items, expected {ITEMS}")
            # the draft's claim.batched events go out first, so they do not share the measured relay time
            wait_for(lambda: _unpublished(url) == 0, 120, "the draft's events to be published")
            first = _post(http, f"/v1/batches/{batch['batch_id']}/approve", None, "officer-checker-1")
            if first["status"] != "awaiting_second_approval":
                raise RuntimeError(f"first approval left the batch {first['status']}")
            with profiled(service, "batch"):
                started = time.time()
                approved = _post(http, f"/v1/batches/{batch['batch_id']}/approve", None, "officer-checker-2")
                approve_s = time.time() - started
                wait_for(lambda: _unpublished(url) == 0, 300, "the approval's events to be published", poll=0.05)
            if approved["status"] != "approved":
                raise RuntimeError(f"second approval left the batch {approved['status']}")
            last = float(scalar(url, "SELECT EXTRACT(EPOCH FROM max(published_at)) FROM outbox"))
        _check_topics(bootstrap, prefix, batch["batch_id"])
        raw = broker_rates(bootstrap, prefix, ("payments.v1", "batches.v1"))
    elapsed = last - started
    produce = bracketed(produce_before, raw.produce) * ITEMS / raw.messages
    cap = " (the cap)" if ITEMS == BATCH_CAP else ""
    return [Figure(f"batch of {ITEMS:,}{cap}: approve -> all on topic", "payments/s", ITEMS / elapsed, references=(
                Reference("raw kafka-python produce of the same messages, same broker", "payments/s", produce,
                          TARGET_RATIO),)),
            Figure(f"projected: {FULL:,} as {FULL // ITEMS} batches of {ITEMS:,}", "s", elapsed * FULL / ITEMS,
                   higher_is_better=False),
            Figure(f"of which the approve request ({ITEMS:,} items)", "s", approve_s, None, higher_is_better=False)]
