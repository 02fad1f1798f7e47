"""Reconciliation: approved (control totals) vs issued events received vs ledger vs bank, and every break.

Built to stream: the caller feeds one BatchControl per approved batch (held in memory: one per batch)
and one PaymentTrail per payment id, a row of a full outer join by payment_id of the approvals'
payment lists, the issued events (counted), the ledger issue entries and the bank outcomes. At a
million payments that join is SQL's job; this module only classifies rows and adds them up, in
memory proportional to batches, funds and breaks. Which batches and payments fall in a report's
from/to window is the query's choice. Payments the query already knows to be clean (issued once,
listed, posted and settled or not yet due, all for the approved fund and the issued amount) may come
as one CleanTally a batch instead of one trail each: they add to the totals and hold no break.

One cause, one break: a dropped issued event is "missing_issued_event" only (not also unsettled, and
the batch's control totals are not reported again), a batch whose approval never arrived is one
"missing_batch_approval" rather than one break per payment.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from shared.china_time import business_day
from shared.money import format_fen

MISSING_ISSUED_EVENT, DUPLICATE_ISSUED_EVENT = "missing_issued_event", "duplicate_issued_event"
ISSUED_NOT_APPROVED, MISSING_BATCH_APPROVAL = "issued_not_approved", "missing_batch_approval"
NOT_POSTED, AMOUNT_MISMATCH, WRONG_FUND = "not_posted", "amount_mismatch", "wrong_fund"
DUPLICATE_SETTLEMENT, SETTLEMENT_FAILED = "duplicate_settlement", "settlement_failed"
SETTLED_AND_FAILED, UNSETTLED = "settled_and_failed", "unsettled"
SETTLED_NOT_ISSUED, CONTROL_TOTALS_MISMATCH = "settled_not_issued", "control_totals_mismatch"
# a stretch of the producer's events noticed lost on the way (shared.gap_detection), until received again
APPROVED_NOT_RECEIVED = "approved_not_received"
_EXPLAIN_TOTALS = {MISSING_ISSUED_EVENT, DUPLICATE_ISSUED_EVENT, ISSUED_NOT_APPROVED}


@dataclass(frozen=True, slots=True)
class BatchControl:
    batch_id: str
    fund: str
    count: int
    total_fen: int
    listed: int  # how many payment ids the approval lists (should equal count)


@dataclass(frozen=True, slots=True)
class PaymentTrail:
    payment_id: str
    batch_id: str | None
    listed: bool = False  # named in its batch approval's payment_ids
    issued_events: int = 0  # distinct issued events received for it
    issued_fund: str | None = None
    issued_amount_fen: int | None = None
    issued_on: date | None = None  # China calendar date of issue
    posted_fund: str | None = None  # the ledger's issue entry
    posted_amount_fen: int | None = None
    settlements: int = 0  # settled events received
    settled_fund: str | None = None
    settled_amount_fen: int | None = None
    failed: bool = False


@dataclass(frozen=True, slots=True)
class CleanTally:
    """Payments of one approved batch with no break: each issued and posted for the same amount, some settled."""

    batch_id: str
    payments: int
    total_fen: int
    settled: int
    settled_total_fen: int


@dataclass(frozen=True, slots=True)
class Break:
    kind: str
    payment_id: str | None
    batch_id: str | None
    fund: str | None
    detail: str


@dataclass
class ReconciliationRow:
    """Per batch (batch_id set) or per fund (batch_id None): counts and totals at each stage."""

    fund: str
    batch_id: str | None = None
    approved_count: int = 0
    approved_total_fen: int = 0
    issued_count: int = 0
    issued_total_fen: int = 0
    posted_count: int = 0
    posted_total_fen: int = 0
    settled_count: int = 0
    settled_total_fen: int = 0
    failed_count: int = 0
    failed_total_fen: int = 0
    breaks: int = 0
    break_kinds: set[str] = field(default_factory=set)

    def add(self, t: PaymentTrail, kinds: list[str]) -> None:
        if t.issued_events:
            self.issued_count += 1
            self.issued_total_fen += t.issued_amount_fen or 0
        if t.posted_amount_fen is not None:
            self.posted_count += 1
            self.posted_total_fen += t.posted_amount_fen
        if t.settlements:
            self.settled_count += 1
            self.settled_total_fen += t.settled_amount_fen or 0
        if t.failed:
            self.failed_count += 1
            self.failed_total_fen += t.issued_amount_fen or 0
        self.note(kinds)

    def add_clean(self, tally: CleanTally) -> None:
        self.issued_count += tally.payments
        self.issued_total_fen += tally.total_fen
        self.posted_count += tally.payments
        self.posted_total_fen += tally.total_fen
        self.settled_count += tally.settled
        self.settled_total_fen += tally.settled_total_fen

    def note(self, kinds: Iterable[str]) -> None:
        kinds = list(kinds)
        self.breaks += len(kinds)
        self.break_kinds.update(kinds)


@dataclass
class ReconciliationReport:
    breaks: list[Break]
    batches: list[ReconciliationRow]
    funds: list[ReconciliationRow]


def classify_trail(t: PaymentTrail, control: BatchControl | None, *, as_of: datetime,
                   unsettled_after: timedelta) -> list[tuple[str, str]]:
    """The breaks of one payment as (kind, detail); a missing batch approval is the caller's, once per batch."""
    found: list[tuple[str, str]] = []
    issued = t.issued_events > 0
    if not issued:
        if t.listed:
            found.append((MISSING_ISSUED_EVENT, "approved in the batch, no issued event received"))
        elif t.settlements:
            found.append((SETTLED_NOT_ISSUED, "the bank settled a payment never approved or issued"))
        return found
    if t.issued_events > 1:
        found.append((DUPLICATE_ISSUED_EVENT, f"{t.issued_events} issued events with different ids"))
    if control is not None and not t.listed:
        found.append((ISSUED_NOT_APPROVED, "issued for a batch whose approval does not list it"))
    if control is not None and t.issued_fund != control.fund:
        found.append((WRONG_FUND, f"issued from {t.issued_fund}, batch approved for {control.fund}"))
    if t.posted_amount_fen is None:
        found.append((NOT_POSTED, "issued event received, no ledger entry"))
    else:
        found += _compare("ledger", t.issued_fund, t.issued_amount_fen, t.posted_fund, t.posted_amount_fen)
    if t.settlements:
        found += _compare("bank", t.issued_fund, t.issued_amount_fen, t.settled_fund, t.settled_amount_fen)
    if t.settlements > 1:
        found.append((DUPLICATE_SETTLEMENT, f"{t.settlements} settlements"))
    if t.failed:
        found.append((SETTLED_AND_FAILED, "both settled and failed") if t.settlements
                     else (SETTLEMENT_FAILED, "the bank returned the payment as failed"))
    elif not t.settlements and t.issued_on is not None and t.issued_on < not_overdue_from(as_of, unsettled_after):
        found.append((UNSETTLED, f"issued {t.issued_on}, no bank outcome after {unsettled_after.days} days"))
    return found


def not_overdue_from(as_of: datetime, unsettled_after: timedelta) -> date:
    """The first China calendar day of issue whose payments, still without a bank outcome, are not yet unsettled.

    Issued on day d, a payment is overdue when (today - d), whole days, exceeds unsettled_after.
    """
    return business_day(as_of) - timedelta(days=unsettled_after // timedelta(days=1))


def _compare(stage: str, fund: str | None, fen: int | None, other_fund: str | None,
             other_fen: int | None) -> list[tuple[str, str]]:
    found = []
    if other_fund is not None and other_fund != fund:
        found.append((WRONG_FUND, f"{stage} shows fund {other_fund}, issued from {fund}"))
    if other_fen is not None and other_fen != fen:
        found.append((AMOUNT_MISMATCH, f"{stage} shows {format_fen(other_fen)}, issued {format_fen(fen or 0)}"))
    return found


def reconcile(controls: Iterable[BatchControl], trails: Iterable[PaymentTrail], *, as_of: datetime,
              unsettled_after: timedelta = timedelta(days=5), clean: Iterable[CleanTally] = ()) -> ReconciliationReport:
    """Classify every trail, then judge each batch's control totals; rows per batch and per fund.

    Each clean tally names a batch among the controls.
    """
    control_of = {c.batch_id: c for c in controls}
    batches = {c.batch_id: ReconciliationRow(c.fund, c.batch_id, c.count, c.total_fen) for c in control_of.values()}
    funds: dict[str, ReconciliationRow] = {}
    for c in control_of.values():
        row = funds.setdefault(c.fund, ReconciliationRow(c.fund))
        row.approved_count += c.count
        row.approved_total_fen += c.total_fen
    for tally in clean:
        batches[tally.batch_id].add_clean(tally)
        funds[control_of[tally.batch_id].fund].add_clean(tally)
    breaks: list[Break] = []
    for t in trails:
        control = control_of.get(t.batch_id or "")
        fund = (control.fund if control else None) or t.issued_fund or t.posted_fund or t.settled_fund or "unknown"
        kinds = classify_trail(t, control, as_of=as_of, unsettled_after=unsettled_after)
        breaks += [Break(kind, t.payment_id, t.batch_id, fund, detail) for kind, detail in kinds]
        names = [kind for kind, _ in kinds]
        funds.setdefault(fund, ReconciliationRow(fund)).add(t, names)
        if t.batch_id is not None:
            batches.setdefault(t.batch_id, ReconciliationRow(fund, t.batch_id)).add(t, names)
    for batch_id, row in batches.items():
        problem = _batch_problem(control_of.get(batch_id), row)
        if problem:
            breaks.append(Break(problem[0], None, batch_id, row.fund, problem[1]))
            row.note([problem[0]])
            funds[row.fund].note([problem[0]])
    return ReconciliationReport(breaks, sorted(batches.values(), key=lambda r: r.batch_id or ""),
                                sorted(funds.values(), key=lambda r: r.fund))


def _batch_problem(control: BatchControl | None, row: ReconciliationRow) -> tuple[str, str] | None:
    if control is None:  # (a batch known only from a stray settlement is that settlement's break alone)
        return (MISSING_BATCH_APPROVAL, f"{row.issued_count} payments issued for a batch with no approval received"
                ) if row.issued_count else None
    if control.count != control.listed:
        return CONTROL_TOTALS_MISMATCH, f"approval count {control.count} but {control.listed} payment ids listed"
    if row.break_kinds & _EXPLAIN_TOTALS:
        return None  # the payment-level breaks already account for the difference
    if (row.issued_count, row.issued_total_fen) != (control.count, control.total_fen):
        return CONTROL_TOTALS_MISMATCH, (f"approved {control.count} / {format_fen(control.total_fen)}, issued "
                                         f"{row.issued_count} / {format_fen(row.issued_total_fen)}")
    return None


def stream_break(source: str, topic: str, kind: str, first: int, last: int | None, requested_at: str) -> Break:
    """A lost stretch: whatever it held (approvals, payments) was decided upstream and never received here."""
    stretch = f"from sequence {first}" + (f" to {last}" if last is not None else " on")
    cause = "the broker's log restarted below what was applied" if kind == "log_reset" else "a gap in the sequence"
    return Break(APPROVED_NOT_RECEIVED, None, None, None,
                 f"approved but never received: {source} events on {topic} {stretch} ({cause}); "
                 f"re-send requested {requested_at}")
