"""The auditor's work beyond the dashboard: findings (filtered, moved through their statuses with a note,
recoveries recorded), a payment's trail with its inclusion proofs checked here, the access log and its export,
and the CSV of each table these pages show."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.console.domain.csv_tables import join_csv_pages, table_csv
from services.console.domain.inclusion_check import VERIFIED, ProofCheck, check_entry
from services.console.service.api_models import Finding, FindingRecord, Page
from services.console.service.backends import Backends
from services.console.service.jobs import Job

FINDING_COLUMNS = ("finding_key", "rule", "severity", "status", "status_by", "status_at", "status_note", "clause",
                   "detail", "payment_ids", "batch_ids", "found_at")
HISTORY_COLUMNS = ("from_status", "status", "actor", "role", "note", "at")
RECOVERY_COLUMNS = ("amount", "currency", "entry_id", "note", "recorded_by", "recorded_at")
TRAIL_ENTRY_COLUMNS = ("fund", "seq", "entry_id", "event_id", "posted_at", "account", "debit", "credit", "hash",
                       "checkpoint_id", "tree_size", "leaf_hash", "proof_status")
ACCESS_FILTERS = ("actor", "role", "action", "outcome", "claim_id", "batch_id", "payment_id", "source", "from", "to")


@dataclass(frozen=True)
class FindingFilters:
    rule: str | None = None
    severity: str | None = None
    status: str | None = None
    fund: str | None = None


def findings(backends: Backends, filters: FindingFilters) -> list[Finding]:
    """The findings the filters select. The audit keeps no fund on a finding: a fund's findings are those of its
    batches (every payment finding names its batch), as the reconciliation report lists them."""
    items = backends.audit.findings(filters.rule, filters.severity, filters.status)
    if not filters.fund:
        return items
    report = backends.audit.reconciliation(filters.fund)
    batches = {row["batch_id"] for row in report["batches"] if row.get("batch_id") and row["fund"] == filters.fund}
    return [f for f in items if batches.intersection(f.batch_ids)]


def findings_csv(items: list[Finding]) -> bytes:
    return table_csv(FINDING_COLUMNS, (f.model_dump() for f in items))


def finding(backends: Backends, finding_id: str) -> FindingRecord:
    return backends.audit.finding(finding_id)


def move_finding(backends: Backends, finding_id: str, status: str, note: str) -> FindingRecord:
    return backends.audit.set_finding_status(finding_id, status, note)


def record_recovery(backends: Backends, finding_id: str, amount: str, entry_id: str, note: str) -> FindingRecord:
    return backends.audit.add_recovery(finding_id, amount, entry_id, note)


def history_csv(record: FindingRecord) -> bytes:
    return table_csv(HISTORY_COLUMNS, (h.model_dump() for h in record.history))


def recoveries_csv(record: FindingRecord) -> bytes:
    return table_csv(RECOVERY_COLUMNS, (r.model_dump() for r in record.recoveries))


@dataclass
class TrailView:
    trail: dict[str, Any]
    entries: list[tuple[dict[str, Any], ProofCheck]]

    @property
    def all_verified(self) -> bool:
        return bool(self.entries) and all(check.status == VERIFIED for _e, check in self.entries)


def payment_trail(backends: Backends, payment_id: str) -> TrailView:
    """The trail, each ledger entry's inclusion proof checked against the checkpoint it names and the log's key."""
    trail = backends.audit.payment_trail(payment_id)
    ledger = trail.get("ledger") or []
    named = {e["inclusion_proof"]["checkpoint_id"] for e in ledger if e.get("inclusion_proof")}
    checkpoints = {cid: backends.audit.checkpoint(cid) for cid in named}
    public_pem = backends.audit.public_key()["public_key"] if named else ""
    checks = []
    for entry in ledger:
        proof = entry.get("inclusion_proof") or {}
        checks.append((entry, check_entry(entry, checkpoints.get(proof.get("checkpoint_id")), public_pem)))
    return TrailView(trail, checks)


def trail_entries_csv(view: TrailView) -> bytes:
    def rows() -> Iterator[dict[str, Any]]:
        for entry, check in view.entries:
            proof = entry.get("inclusion_proof") or {}
            for posting in entry["postings"]:
                yield {**entry, **posting, **proof, "proof_status": check.status}

    return table_csv(TRAIL_ENTRY_COLUMNS, rows())


def access_filters(query: dict[str, str | None]) -> dict[str, str]:
    return {name: value.strip() for name in ACCESS_FILTERS if (value := query.get(name)) and value.strip()}


def access_log(backends: Backends, filters: dict[str, str], cursor: str | None) -> Page:
    return backends.audit.access_log_page(dict(filters), cursor)


def access_log_export_work(backends: Backends, filters: dict[str, str]):  # type: ignore[no-untyped-def]
    """A job writing every record the filters select, page by page, as the audit's own CSV."""

    def work(job: Job) -> None:
        pages, cursor, rows = [], None, 0
        job.progress(0, None, "writing_records")
        while True:
            page, cursor = backends.audit.access_log_csv(dict(filters), cursor)
            pages.append(page)
            rows += max(page.count(b"\n") - 1, 0)
            job.progress(rows)
            if not cursor:
                break
        job.download = ("access-log.csv", "text/csv; charset=utf-8", join_csv_pages(pages))
        job.stage = "done"

    return work
