"""The auditor's use cases: a fund's dashboard for a year, the ledger with its heads, findings, the
reconciliation (and its CSV, as the audit service writes it), a ledger export as a job."""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.console.domain.csv_tables import table_csv
from services.console.domain.formatting import yuan
from services.console.domain.ledger_figures import FundBooks, MonthFlow, books_per_fund, monthly_flows
from services.console.service.backends import Backends
from services.console.service.jobs import Job

ZERO = Decimal("0.00")


@dataclass
class Dashboard:
    fund: str
    year: int
    budget: Decimal | None
    issued: Decimal
    reversed: Decimal
    net: Decimal
    settled: Decimal
    programmes: list[dict[str, Any]]
    months: list[MonthFlow]
    findings_by_rule: list[tuple[str, int]]
    books: FundBooks

    @property
    def agrees_with_ledger(self) -> bool:
        """The fund-usage report's totals are the ledger's balances: net issued = expense, settled = bank."""
        return self.net == self.books.expense and self.settled == self.books.bank


def dashboard(backends: Backends, fund: str, year: int) -> Dashboard:
    usage = backends.audit.fund_usage(year)
    row = next((f for f in usage["funds"] if f["fund"] == fund), None)
    programmes = [item for item in usage["items"] if item["fund"] == fund]
    entries = backends.audit.entries(fund=fund, from_=f"{year}-01-01", to=f"{year}-12-31")
    findings = Counter(f.rule for f in backends.audit.findings())
    books = books_per_fund(backends.audit.balances(fund)).get(fund, FundBooks(fund))
    return Dashboard(
        fund=fund, year=year, budget=yuan(row["budget"]) if row and row.get("budget") else None,
        issued=yuan(row["issued"]) if row else ZERO, reversed=yuan(row["reversed"]) if row else ZERO,
        net=yuan(row["net"]) if row else ZERO, settled=yuan(row["settled"]) if row else ZERO,
        programmes=programmes, months=monthly_flows(entries, fund, year),
        findings_by_rule=sorted(findings.items(), key=lambda kv: (-kv[1], kv[0])), books=books)


@dataclass
class LedgerView:
    verify: dict[str, Any]  # with "funds": each fund's head, count and the seq its verification went on from
    books: dict[str, FundBooks]
    checkpoints: dict[str, dict[str, Any]]  # the latest signed checkpoint per fund
    recent_checkpoints: list[dict[str, Any]]  # newest first, every fund
    entries: list[dict[str, Any]]
    next_cursor: str | None


def ledger(backends: Backends, fund: str | None, cursor: str | None, full: bool = False) -> LedgerView:
    recent = backends.audit.checkpoints()  # newest first
    latest: dict[str, dict[str, Any]] = {}
    for checkpoint in recent:
        latest.setdefault(checkpoint["fund"], checkpoint)
    page = backends.audit.entries_page(fund=fund, cursor=cursor)
    return LedgerView(verify=backends.audit.verify(full), books=books_per_fund(backends.audit.balances()),
                      checkpoints=latest, recent_checkpoints=recent, entries=page.items, next_cursor=page.next_cursor)


LEDGER_TABLES = {
    "heads": ("fund", "head", "count", "verified_from"),
    "books": ("fund", "expense", "payable", "bank"),
    "accounts": ("fund", "account", "debit", "credit", "balance"),
    "checkpoints": ("id", "fund", "size", "root", "issued_at", "key_id", "signature", "cosignatures"),
}


def ledger_table_csv(view: LedgerView, table: str) -> bytes:
    """One of the ledger page's tables (not the journal: that is an export job) as CSV."""
    rows: list[dict[str, Any]]
    if table == "heads":
        rows = list(view.verify.get("funds") or [])
    elif table == "books":
        rows = [{"fund": b.fund, "expense": b.expense, "payable": b.payable, "bank": b.bank}
                for b in view.books.values()]
    elif table == "accounts":
        rows = [a for b in view.books.values() for a in b.accounts]
    else:
        rows = [{**c, "cosignatures": len(c.get("cosignatures") or [])} for c in view.recent_checkpoints]
    return table_csv(LEDGER_TABLES[table], rows)


def findings_by_rule_csv(backends: Backends) -> bytes:
    counts = Counter(f.rule for f in backends.audit.findings())
    return table_csv(("rule", "findings"), ({"rule": r, "findings": n} for r, n in sorted(counts.items())))


def reconciliation(backends: Backends, fund: str | None, from_: str | None, to: str | None) -> dict[str, Any]:
    return backends.audit.reconciliation(fund, from_, to)


def reconciliation_csv(backends: Backends, fund: str | None, from_: str | None, to: str | None) -> bytes:
    return backends.audit.reconciliation_csv(fund, from_, to)


LEDGER_CSV_COLUMNS = ("fund", "seq", "entry_id", "event_id", "payment_id", "posted_at", "account", "debit", "credit",
                      "hash")


def ledger_export_work(backends: Backends, fund: str | None):  # type: ignore[no-untyped-def]
    """A job writing the ledger's postings as CSV, one line per posting, paging through the journal."""

    def work(job: Job) -> None:
        total = backends.audit.verify().get("entries")
        job.progress(0, total if not fund else None, "exporting")

        def postings():  # type: ignore[no-untyped-def]
            for n, entry in enumerate(backends.audit.entries(fund=fund), start=1):
                for posting in entry["postings"]:
                    yield {**entry, "account": posting["account"], "debit": posting["debit"],
                           "credit": posting["credit"]}
                if n % 200 == 0:
                    job.progress(n)

        name = f"ledger-{fund}.csv" if fund else "ledger.csv"
        job.download = (name, "text/csv; charset=utf-8", table_csv(LEDGER_CSV_COLUMNS, postings()))
        job.stage = "done"

    return work
