"""recon: GET /v1/reports/reconciliation over a loaded audit database: its time and the serving process's
peak memory (VmHWM of the `grants serve audit` process).

The database holds what the consumer would have left after the life of PAYMENTS payments (bench.seed:
every event as received, approvals' payment lists, the hash-chained ledger), loaded with COPY once per
bench process into a template; each run gets a fresh copy of it.

Reference: PostgreSQL alone reading the same rows once: a single GROUP BY payment_id over the payment
ids (and amounts) of every received event, approval listing and ledger entry (SCAN; the postings,
which the report joins to its entries, are left out, so the reference is if anything a floor), timed
from this process as the median of SCANS scans, right after the report and on the same database. A
first scan, untimed, runs before the report, so that both find the rows in PostgreSQL's buffers. The
scan runs in one backend: the report reads through a server-side cursor, which PostgreSQL never
runs in parallel, and a parallel scan's speed would be a measure of how idle the second core is
(0.44–0.69 s over two runs of three, where the report moved 1.5–2.0 s).
Target: the report ≤ 3× the scan (it reads those rows in one statement too, then classifies them).

Scaled: at the cost measured when this was written (~70 us a payment) 1,000,000 payments take over a
minute a run, and loading them several minutes, so a run reports over PAYMENTS and the full size is
projected: time linearly, memory as the start-up footprint plus ten times what the report added
(an upper bound if the report streams, exact if what it holds grows with the payments).
"""

import statistics
import time

import httpx
import psycopg

from bench import seed
from bench.harness import Figure, Reference, sized
from bench.payment_events import lifecycle
from bench.procs import peak_rss_mib, pg_dsn, profiled, rss_mib, running
from bench.services import copy_of, template_database
from shared.migrations import upgrade_service
from tests.support import auth

PAYMENTS, FULL = sized(100_000, 20_000), 1_000_000
TARGET_RATIO, TARGET_MIB, SCANS = 3.0, 500.0, 3
SCAN = """
SELECT count(*), sum(n), sum(fen) FROM (
    SELECT payment_id, count(*) AS n, sum(amount_fen) AS fen FROM (
        SELECT payment_id, amount_fen FROM received_events WHERE payment_id IS NOT NULL
        UNION ALL SELECT payment_id, NULL FROM approved_payments
        UNION ALL SELECT payment_id, NULL FROM ledger_entries WHERE payment_id IS NOT NULL
    ) trail_rows GROUP BY payment_id
) per_payment"""


def _loaded(url: str) -> None:
    upgrade_service("audit", url)
    seed.audit_ledger(url, lifecycle(PAYMENTS))


def _scan_seconds(conn: psycopg.Connection) -> float:
    started = time.perf_counter()
    payments = conn.execute(SCAN).fetchone()[0]  # type: ignore[index]
    elapsed = time.perf_counter() - started
    if payments != PAYMENTS:
        raise RuntimeError(f"the scan grouped {payments} payments, expected {PAYMENTS}")
    return elapsed


def run() -> list[Figure]:
    with (copy_of(template_database(("recon", PAYMENTS), _loaded)) as url,
          psycopg.connect(pg_dsn(url), autocommit=True) as conn):
        conn.execute("SET jit = off")  # as the report sets it for its statement
        conn.execute("SET max_parallel_workers_per_gather = 0")  # one backend, as the report's cursor gets
        _scan_seconds(conn)
        env = {"AUDIT_DATABASE_URL": url, "GRANTS_KAFKA_BOOTSTRAP": "127.0.0.1:1"}
        with running("audit", env, workers=False) as service:
            baseline = rss_mib(service.pid)
            with profiled(service, "recon"):
                started = time.perf_counter()
                response = httpx.get(f"{service.url}/v1/reports/reconciliation", headers=auth("auditor", "bench"),
                                     timeout=900)
                elapsed = time.perf_counter() - started
            peak = peak_rss_mib(service.pid)
        scan = statistics.median(_scan_seconds(conn) for _ in range(SCANS))
    response.raise_for_status()
    [fund] = response.json()["funds"]
    if (fund["approved_count"], fund["posted_count"]) != (PAYMENTS, PAYMENTS):
        raise RuntimeError(f"the report shows {fund['approved_count']} approved, {fund['posted_count']} posted")
    scale = FULL / PAYMENTS
    return [Figure(f"report over {PAYMENTS:,} payments", "s", elapsed, higher_is_better=False, references=(
                Reference("one GROUP BY payment_id over the same rows, PostgreSQL alone", "s", scan, TARGET_RATIO),)),
            Figure(f"projected: report over {FULL:,} payments", "s", elapsed * scale, higher_is_better=False),
            Figure(f"peak RSS over {PAYMENTS:,} payments", "MiB", peak, None, higher_is_better=False),
            Figure(f"projected: peak RSS over {FULL:,}", "MiB", baseline + (peak - baseline) * scale, TARGET_MIB,
                   higher_is_better=False)]
