"""Bulk data straight into the databases with COPY, for benchmarks whose subject is not how it got there.

Rows are made by the services' own code wherever it matters: a real decision document and grant record
from the rules engine, ledger entries (postings, seq, hashes) from the audit's own InMemoryJournal.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from bench.payment_events import Stream
from bench.procs import pg_dsn
from services.audit.db.received_repo import FACT_COLUMNS, fact_columns
from services.audit.domain.entry_leaves import entry_leaf
from services.audit.domain.events import BatchApproved, parse_event
from services.audit.domain.journal import InMemoryJournal
from services.audit.domain.merkle import append_leaves
from services.disbursement.domain.rules import evaluate, grant_record
from shared.catalog import load_catalog
from shared.claims import parse_claim
from shared.identifiers import pseudonymise
from shared.inbox import digest
from shared.settings import DEV_PII_KEY
from tests.support import skill_upgrade_body


def copy_rows(conn: psycopg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def eligible_claims(url: str, count: int) -> None:
    """count eligible skill-upgrade decisions with their grants, oldest first.

    One real decision (document and grant record as the engine writes them) is stamped with each
    claim's own ids, so batching reads rows of the size it reads in production.
    """
    decision = evaluate(parse_claim(skill_upgrade_body(1)), [], load_catalog(), date(2024, 1, 2), pii_key=DEV_PII_KEY)
    decided = datetime(2024, 1, 2, tzinfo=UTC)
    document = {**decision.to_contract_json(), "decided_at": decided.isoformat()}
    record = grant_record(decision, claim_id="").model_dump(mode="json")
    decisions, grants, refs = [], [], []
    for i in range(count):
        claim_id, person = str(uuid.uuid4()), pseudonymise(f"bench-person-{i}", DEV_PII_KEY)
        key = f"certificate_number=CERT-{i:07d};occupation_code=4-07-01-02;level=4"
        at = decided + timedelta(microseconds=i)
        decisions.append((claim_id, decision.programme, "qingyang", decision.policy_id, "eligible", "eligible",
                          decision.amount_fen, decision.fund, decision.clause, person,
                          pseudonymise(f"62220202{i:011d}", DEV_PII_KEY), key, decision.qualifying_date,
                          decision.catalog_hash, json.dumps(document, ensure_ascii=False), at))
        grant = {**record, "claim_id": claim_id, "beneficiary_ref": person, "subject_ref": person,
                 "qualifying_key": key, "lookup_refs": [person]}
        grants.append((claim_id, decision.programme, decision.policy_id, decision.fund, person, person, key,
                       decision.qualifying_date, decision.amount_fen, json.dumps(grant), True, at))
        refs.append((claim_id, person))
    with psycopg.connect(pg_dsn(url)) as conn:
        copy_rows(conn, "decisions", ("claim_id", "programme", "jurisdiction", "policy_id", "outcome", "status",
                                      "amount_fen", "fund", "clause", "beneficiary_ref", "payee_ref", "qualifying_key",
                                      "qualifying_date", "catalog_hash", "document", "decided_at"), decisions)
        copy_rows(conn, "grants", ("claim_id", "programme", "policy_id", "fund", "beneficiary_ref", "subject_ref",
                                   "qualifying_key", "qualifying_date", "amount_fen", "record", "active", "created_at"),
                  grants)
        copy_rows(conn, "grant_refs", ("claim_id", "ref"), refs)
        conn.execute("ANALYZE decisions; ANALYZE grants")  # planner statistics, as autovacuum would have them


def _merkle_nodes(journal: InMemoryJournal) -> Iterable[tuple[str, int, int, str]]:
    """Every complete subtree of each fund's log, as the ledger's appends store them."""
    leaves: dict[str, list[bytes]] = {}
    for entry in journal.entries:  # each fund's in seq order
        leaves.setdefault(entry.fund, []).append(entry_leaf(entry))
    for fund, hashes in leaves.items():
        yield from ((fund, level, idx, digest.hex()) for (level, idx), digest in append_leaves([], hashes)[0])


@dataclass(frozen=True)
class Rows:
    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def audit_rows(stream: Stream, *, inbox_consumer: str | None = None) -> list[Rows]:
    """The rows the audit consumer leaves after the stream: every event as received, the approvals' payment
    lists, the hash-chained ledger, the fund heads and each fund's Merkle log; with inbox_consumer, each event's inbox row too."""
    journal = InMemoryJournal()
    received, approved = [], []
    for n, event in enumerate(stream.events):
        fact = parse_event(event)
        data = event["data"]
        received.append((event["id"], event["type"], event.get("subject"), data.get("payment_id"),
                         data.get("batch_id"), json.dumps(event, ensure_ascii=False),
                         datetime.now(UTC) - timedelta(seconds=len(stream.events) - n),
                         *map(fact_columns(event).get, FACT_COLUMNS)))
        if isinstance(fact, BatchApproved):
            approved.extend((fact.batch_id, p) for p in dict.fromkeys(fact.payment_ids))
        else:
            journal.record(fact)
    entries = [(e.entry_id, e.fund, e.seq, e.event_id, e.payment_id, e.prev_hash, e.hash, e.posted_at)
               for e in journal.entries]
    postings = [(e.entry_id, e.fund, p.account, p.debit_fen, p.credit_fen) for e in journal.entries for p in e.postings]
    tables = [Rows("received_events", ("event_id", "type", "subject", "payment_id", "batch_id", "payload",
                                       "received_at", *FACT_COLUMNS), received),
              Rows("approved_payments", ("batch_id", "payment_id"), approved),
              Rows("ledger_entries", ("entry_id", "fund", "seq", "event_id", "payment_id", "prev_hash", "hash",
                                      "posted_at"), entries),
              Rows("ledger_postings", ("entry_id", "fund", "account", "debit_fen", "credit_fen"), postings),
              Rows("fund_heads", ("fund", "seq", "hash"),
                   [(fund, head.seq, head.hash) for fund, head in journal.heads.items()]),
              Rows("merkle_nodes", ("fund", "level", "idx", "hash"), list(_merkle_nodes(journal)))]
    if inbox_consumer is not None:
        now = datetime.now(UTC)
        tables.append(Rows("processed_events", ("event_id", "consumer", "payload_sha256", "outcome", "processed_at"),
                           [(e["id"], inbox_consumer, digest(json.dumps(e).encode()), "applied", now)
                            for e in stream.events]))
    return tables


def copy_tables(conn: psycopg.Connection, tables: list[Rows]) -> None:
    for t in tables:
        copy_rows(conn, t.table, t.columns, t.rows)


def audit_ledger(url: str, stream: Stream) -> int:
    """The audit database as the consumer leaves it after the stream (audit_rows). Returns the entries posted."""
    tables = audit_rows(stream)
    with psycopg.connect(pg_dsn(url)) as conn:
        copy_tables(conn, tables)
    with psycopg.connect(pg_dsn(url), autocommit=True) as conn:
        # statistics and the visibility map (index-only scans), as autovacuum keeps them on insert-only
        # tables since PostgreSQL 13; a database fresh from COPY has neither
        conn.execute("VACUUM (ANALYZE)")
    return len(next(t for t in tables if t.table == "ledger_entries").rows)
