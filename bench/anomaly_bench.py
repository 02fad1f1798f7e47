"""anomalies: one anomaly sweep and one ledger verify over an audit database holding 100,000 and 1,000,000
received events: neither may grow with the history.

Each size is loaded with COPY once per bench process into a template (bulk-seeded rows, as the consumer leaves
them: every event as received, the payment facts and running totals the anomaly rules read, the hash-chained
ledger with its Merkle log and heads; everything judged and verified already, as a running service keeps it).
A run copies the template, then ingests NEW fresh events through the consumer's own batch handler (a new
batch of NEW payments and its approval; once untimed, to warm the caches, then again), and times what the
service then does: one round of the anomaly
worker (the groups the new events joined, and the batch once its grace period has passed) and one
GET /v1/ledger/verify's verification (from each fund's last verified point). Each figure at the larger size
carries the same figure at the smaller as its reference: the ratio is the growth with history, target ≤ 1.5
(a sweep or verify that re-read the history would grow tenfold).

BENCH_QUICK=1 loads 10,000 and 50,000 events instead.
"""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from functools import partial

import psycopg

from bench.harness import Figure, Reference, sized
from bench.procs import pg_dsn
from bench.seed import copy_rows
from bench.services import copy_of, template_database
from services.audit.db.anomaly_repo import FACT_FIELDS
from services.audit.db.received_repo import FACT_COLUMNS, columns_of_fact
from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.entry_leaves import entry_leaf
from services.audit.domain.events import parse_event
from services.audit.domain.journal import InMemoryJournal
from services.audit.domain.merkle import append_leaves
from services.audit.messaging.spec import apply_batch
from services.audit.service.anomaly_intake import AnomalyIntake
from services.audit.service.anomaly_sweep import run_round
from services.audit.service.catalog_standards import catalog_standards
from services.audit.service.ledger_verification import verify_ledger
from shared.china_time import business_year
from shared.db import make_engine, unit_of_work
from shared.events import CloudEvent
from shared.migrations import upgrade_service

SMALL, LARGE = sized(100_000, 10_000), sized(1_000_000, 50_000)
NEW, CHUNK, TARGET_RATIO = 1_000, 20_000, 1.5
FUND, PROGRAMME, POLICY, CLAUSE = "unemployment_insurance", "skill_upgrade", "qingyang-2023", "qingyang-2023 §18"
START = datetime(2024, 1, 8, 2, 0, tzinfo=UTC)


def _issued(n: int, batch_id: str, at: datetime) -> dict:
    payment_id = f"P{n:09d}"
    data = {"payment_id": payment_id, "claim_id": f"C{n:09d}", "batch_id": batch_id, "programme": PROGRAMME,
            "policy_id": POLICY, "clause": CLAUSE, "fund": FUND, "amount": "1500.00", "currency": "CNY",
            "beneficiary_ref": f"{n:064x}", "payee_ref": f"{n + 10**12:064x}",
            "qualifying_key": f"certificate_number=CERT-{n:09d};occupation_code=4-07-01-02;level=4",
            "qualifying_date": "2023-06-15", "maker": "officer-maker", "checker": "officer-checker",
            "issued_at": at.isoformat(), "subject_ref": f"{n:064x}", "tier": "level_4", "units": 1,
            "checker_role": "officer", "beneficiary_kind": "person"}
    return {"specversion": "1.0", "id": f"ev-issued-{payment_id}", "source": "grants/disbursement",
            "type": "grants.payment.issued", "time": at.isoformat(), "subject": payment_id,
            "datacontenttype": "application/json", "data": data}


def _approval(batch_id: str, payment_ids: list[str], at: datetime) -> dict:
    data = {"batch_id": batch_id, "fund": FUND, "count": len(payment_ids),
            "total": f"{len(payment_ids) * 1500}.00", "payment_ids": payment_ids, "maker": "officer-maker",
            "checker": "officer-checker", "approved_at": at.isoformat()}
    return {"specversion": "1.0", "id": f"ev-approved-{batch_id}", "source": "grants/disbursement",
            "type": "grants.batch.approved", "time": at.isoformat(), "subject": batch_id,
            "datacontenttype": "application/json", "data": data}


def _batch(first: int, count: int, day: int) -> list[dict]:
    at, batch_id = START + timedelta(days=day), f"B{day:06d}-{uuid.uuid4().hex[:6]}"
    issued = [_issued(n, batch_id, at) for n in range(first, first + count)]
    return [*issued, _approval(batch_id, [e["data"]["payment_id"] for e in issued], at)]


def seed(url: str, events: int) -> None:
    """The audit schema, then about `events` received events (batches of CHUNK issued payments and their
    approvals), with every row ingest and the anomaly worker leave, judged and verified: COPY, a batch at a time."""
    upgrade_service("audit", url)
    journal, frontier, total, received_at = InMemoryJournal(), [], 0, datetime.now(UTC) - timedelta(days=1)
    with psycopg.connect(pg_dsn(url)) as conn:
        first = day = 0
        while first < events:
            count = min(CHUNK, events - first - 1) or 1
            batch = _batch(first, count, day)
            facts = [parse_event(e) for e in batch]
            entries = [entry for entry in map(journal.record, facts[:-1]) if entry is not None]
            created, frontier = append_leaves(frontier, [entry_leaf(e) for e in entries])
            copy_rows(conn, "received_events", ("event_id", "type", "subject", "payment_id", "batch_id", "payload",
                                                "received_at", *FACT_COLUMNS),
                      ((e["id"], e["type"], e["subject"], e["data"].get("payment_id"), e["data"]["batch_id"],
                        json.dumps(e), received_at, *columns_of_fact(f).values()) for e, f in zip(batch, facts)))
            copy_rows(conn, "payment_facts", (*FACT_FIELDS, "person_ref", "year", "failed"),
                      ((*(getattr(f, name) for name in FACT_FIELDS), f.person_ref, business_year(f.issued_at), False)
                       for f in facts[:-1]))
            approval = facts[-1]
            copy_rows(conn, "approved_payments", ("batch_id", "payment_id"),
                      ((approval.batch_id, p) for p in approval.payment_ids))
            copy_rows(conn, "anomaly_batches", ("batch_id", "maker", "total_fen", "approved_at",
                                                "approval_received_at", "issued_events", "changed_at"),
                      [(approval.batch_id, approval.maker, approval.total_fen, approval.approved_at, received_at,
                        count, None)])
            copy_rows(conn, "ledger_entries", ("entry_id", "fund", "seq", "event_id", "payment_id", "prev_hash",
                                               "hash", "posted_at"),
                      ((e.entry_id, e.fund, e.seq, e.event_id, e.payment_id, e.prev_hash, e.hash, e.posted_at)
                       for e in entries))
            copy_rows(conn, "ledger_postings", ("entry_id", "fund", "account", "debit_fen", "credit_fen"),
                      ((e.entry_id, e.fund, p.account, p.debit_fen, p.credit_fen) for e in entries for p in e.postings))
            copy_rows(conn, "merkle_nodes", ("fund", "level", "idx", "hash"),
                      ((FUND, level, idx, digest.hex()) for (level, idx), digest in created))
            total += sum(f.amount_fen for f in facts[:-1])
            journal = InMemoryJournal.resume(journal.heads, [])  # the heads go on; the entries are in the database
            first, day = first + count + 1, day + 1
        head = journal.heads[FUND]
        copy_rows(conn, "fund_heads", ("fund", "seq", "hash"), [(FUND, head.seq, head.hash)])
        copy_rows(conn, "ledger_verified_points", ("fund", "seq", "hash", "verified_at"),
                  [(FUND, head.seq, head.hash, received_at)])
        copy_rows(conn, "fund_year_totals", ("fund", "year", "issued_fen", "failed_fen"),
                  [(FUND, business_year(START), total, 0)])
    with psycopg.connect(pg_dsn(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def measure(events: int) -> tuple[float, float, int]:
    """(sweep ms, verify ms, groups judged) after NEW new payments on a database of `events` received events.

    The same is done once untimed first (a service's caches are warm; a fresh copy's are not)."""
    standards = catalog_standards()
    with copy_of(template_database(("anomalies", events), partial(seed, events=events))) as url:
        engine = make_engine(url)
        try:
            for day in (900, 901):
                new = [CloudEvent.model_validate(e) for e in _batch(10**8 + day * NEW, NEW, day)]
                with unit_of_work(engine) as session:
                    apply_batch(session, new, AnomalyIntake(standards))
                started = time.perf_counter()
                result = run_round(engine, standards, RuleParameters(), now=datetime.now(UTC) + timedelta(hours=1))
                sweep_ms = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                with unit_of_work(engine) as session:
                    report = verify_ledger(session)
                verify_ms = (time.perf_counter() - started) * 1000
                assert report.result.ok and report.checked == NEW, report
                # each payment's own groups (qualifying record, person, payee, payee account), its fund-year, the maker
                assert result.batches == 1 and result.scopes == 4 * NEW + 2, result
            return sweep_ms, verify_ms, result.scopes
        finally:
            engine.dispose()


def run() -> list[Figure]:
    small_sweep, small_verify, _ = measure(SMALL)
    large_sweep, large_verify, groups = measure(LARGE)
    at = f"{LARGE:,} received events"
    return [
        Figure(f"anomaly sweep after {NEW:,} new payments ({groups:,} groups) at {SMALL:,} received events", "ms",
               small_sweep, higher_is_better=False),
        Figure(f"anomaly sweep after {NEW:,} new payments at {at}", "ms", large_sweep, higher_is_better=False,
               references=(Reference(f"the same sweep at {SMALL:,}", "ms", small_sweep, TARGET_RATIO),)),
        Figure(f"ledger verify after {NEW:,} new entries at {SMALL:,} received events", "ms", small_verify,
               higher_is_better=False),
        Figure(f"ledger verify after {NEW:,} new entries at {at}", "ms", large_verify, higher_is_better=False,
               references=(Reference(f"the same verify at {SMALL:,}", "ms", small_verify, TARGET_RATIO),)),
    ]

