"""Batch-level procedure: approvals split to stay under the dual-approval threshold, and issued
events that contradict the approval's control totals (qingyang-2023 三(二) 支出程序)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from shared.money import format_fen
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding
from services.audit.domain.events import BatchApproved, IssuedPayment


def batches_just_under_threshold(batches: Iterable[BatchApproved], threshold_fen: int, *,
                                 ratio: Decimal = Decimal("0.05"), window: timedelta = timedelta(days=30),
                                 min_batches: int = 3) -> list[Finding]:
    """A maker whose batches land in [threshold x (1 - ratio), threshold] at least min_batches times
    within the window: structuring to avoid the second checker.

    One finding per batch that completes such a run (keyed on it), so new batches add findings
    without changing earlier ones.
    """
    floor = near_threshold_floor(threshold_fen, ratio)
    near: dict[str, list[BatchApproved]] = defaultdict(list)
    for b in sorted(batches, key=lambda b: (b.approved_at, b.batch_id)):
        if floor <= b.total_fen <= threshold_fen:
            near[b.maker].append(b)
    findings = []
    for maker, run in sorted(near.items()):
        start = 0
        for i, last in enumerate(run):
            while last.approved_at - run[start].approved_at >= window:
                start += 1
            recent = run[start: i + 1]
            if len(recent) >= min_batches:
                findings.append(make_finding(
                    "batches_just_under_threshold", "medium", FUND_SUPERVISION_CLAUSE,
                    f"maker {maker}: {len(recent)} batches between {format_fen(floor)} and "
                    f"{format_fen(threshold_fen)} within {window.days} days, the last {last.batch_id}",
                    payment_ids=last.payment_ids, batch_ids=[b.batch_id for b in recent],
                    key_ids=(last.batch_id,)))
    return findings


def near_threshold_floor(threshold_fen: int, ratio: Decimal) -> int:
    """The lowest batch total counted as "just under" the threshold."""
    return threshold_fen - int(Decimal(threshold_fen) * ratio)


def batch_control_totals(batches: Iterable[BatchApproved], payments: Iterable[IssuedPayment], *,
                         as_of: datetime, grace: timedelta = timedelta(minutes=15),
                         received_at: Mapping[str, datetime] | None = None) -> list[Finding]:
    """Issued events received for a batch that disagree with its approval: count, total, the set of
    payment ids, fund, maker or checker. A batch approved, or whose approval reached the audit, less than
    `grace` before as_of is not judged yet: its events may still be in flight (a backlog being consumed
    carries old approval times, so the receipt time is what counts)."""
    received_at = received_at or {}
    received: dict[str, list[IssuedPayment]] = defaultdict(list)
    for p in payments:
        received[p.batch_id].append(p)
    findings = []
    for b in sorted(batches, key=lambda b: b.batch_id):
        if max(b.approved_at, received_at.get(b.batch_id, b.approved_at)) > as_of - grace:
            continue
        problems = _contradictions(b, received.get(b.batch_id, []))
        if problems:
            got = {p.payment_id for p in received.get(b.batch_id, [])}
            findings.append(make_finding(
                "batch_control_totals_mismatch", "high", FUND_SUPERVISION_CLAUSE,
                f"batch {b.batch_id}: " + "; ".join(problems),
                payment_ids=got.symmetric_difference(b.payment_ids) or got | set(b.payment_ids),
                batch_ids=(b.batch_id,), key_ids=(b.batch_id,)))
    return findings


def _contradictions(b: BatchApproved, events: Sequence[IssuedPayment]) -> list[str]:
    first: dict[str, IssuedPayment] = {}
    for p in events:
        first.setdefault(p.payment_id, p)
    problems = []
    if b.count != len(b.payment_ids):
        problems.append(f"approval says count {b.count} but lists {len(b.payment_ids)} payments")
    if len(events) != b.count:
        problems.append(f"{len(events)} issued events for {len(first)} payments, control count {b.count}")
    total = sum(p.amount_fen for p in first.values())
    if total != b.total_fen:
        problems.append(f"issued total {format_fen(total)}, control total {format_fen(b.total_fen)}")
    missing, extra = set(b.payment_ids) - first.keys(), first.keys() - set(b.payment_ids)
    if missing:
        problems.append(f"{len(missing)} approved payments not issued")
    if extra:
        problems.append(f"{len(extra)} issued payments not in the approval")
    for name in ("fund", "maker", "checker"):
        odd = sorted({getattr(p, name) for p in first.values()} - {getattr(b, name)})
        if odd:
            problems.append(f"{name} {', '.join(odd)} on issued events, {getattr(b, name)} on the approval")
    return problems
