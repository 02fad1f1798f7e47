"""proofs: checkpoint signing and inclusion / consistency proof latency over HTTP at ENTRIES entries in one fund.

The fund's ledger and Merkle log are built once per bench process through the ledger repository (as a
huge consumed batch would write them; tests.audit.merkle_support.grow), then `grants serve audit` answers
sequential requests on one keep-alive connection: a checkpoint signed on demand, and inclusion proofs
of random entries and consistency proofs from random sizes, both against the whole log. Every answer
is O(log n) reads, so the figures should barely move between 1,000 and 1,000,000 entries.
PROOF_BENCH_ENTRIES sets the size (default 1,000,000, the issue's; building it takes a few minutes).
"""

import atexit
import os
import random
import statistics
import time

import httpx

from bench.harness import Figure
from bench.procs import running
from shared.db import make_engine
from services.audit.domain.postings import entry_id_for
from shared.migrations import upgrade_service
from tests.audit.merkle_support import grow
from tests.support import auth, create_pg_database, drop_pg_database

ENTRIES = int(os.environ.get("PROOF_BENCH_ENTRIES", "1000000"))
FUND, CHECKPOINTS, PROOFS = "employment_subsidy", 20, 300
_databases: dict[int, str] = {}


def _database() -> str:
    """The audit database holding ENTRIES entries in FUND (built on first use, dropped when the process exits)."""
    if ENTRIES not in _databases:
        name, url = create_pg_database()
        atexit.register(drop_pg_database, name)
        upgrade_service("audit", url)
        engine = make_engine(url)
        try:
            grow(engine, FUND, ENTRIES, chunk=50_000)
        finally:
            engine.dispose()
        _databases[ENTRIES] = url
    return _databases[ENTRIES]


def _timed(client: httpx.Client, requests: list[tuple[str, str, dict]]) -> list[float]:
    """Milliseconds of each request, one after another."""
    elapsed = []
    for method, path, options in requests:
        started = time.perf_counter()
        client.request(method, path, **options).raise_for_status()
        elapsed.append((time.perf_counter() - started) * 1000)
    return elapsed


def run() -> list[Figure]:
    rng = random.Random()
    with running("audit", {"AUDIT_DATABASE_URL": _database(), "GRANTS_KAFKA_BOOTSTRAP": "127.0.0.1:1"},
                 workers=False) as service, httpx.Client(base_url=service.url, headers=auth("auditor", "bench"),
                                                         timeout=30) as client:
        signing = _timed(client, [("POST", "/v1/ledger/checkpoints", {"json": {"fund": FUND}})] * CHECKPOINTS)
        inclusion = _timed(client, [("GET", "/v1/ledger/proofs/inclusion", {"params": {
            "entry_id": entry_id_for(f"ev-{FUND}-{rng.randint(1, ENTRIES)}"), "size": ENTRIES}})
            for _ in range(PROOFS)])
        consistency = _timed(client, [("GET", "/v1/ledger/proofs/consistency", {"params": {
            "fund": FUND, "from": rng.randint(1, ENTRIES), "to": ENTRIES}}) for _ in range(PROOFS)])
    at = f"at {ENTRIES:,} entries"
    return [Figure(f"checkpoint signed, median {at}", "ms", statistics.median(signing), None, False),
            Figure(f"inclusion proof, median {at}", "ms", statistics.median(inclusion), None, False),
            Figure(f"inclusion proof, p99 {at}", "ms", _p99(inclusion), None, False),
            Figure(f"consistency proof, median {at}", "ms", statistics.median(consistency), None, False),
            Figure(f"consistency proof, p99 {at}", "ms", _p99(consistency), None, False)]


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]
