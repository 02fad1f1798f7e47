"""The anomaly side of ingest, in the consumer's transaction: the per-event rules, and the aggregates and
queue the anomaly worker (service.anomaly_sweep) judges the cross-event rules from.

What it costs follows the batch: each event is checked alone, its payment kept once, the running totals of
its fund-year and batch moved, and the groups it joins queued. Nothing here reads the history.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy.orm import Session

from services.audit.db import anomaly_repo, received_repo
from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.anomalies.findings import Finding
from services.audit.domain.anomalies.per_event import per_event_findings
from services.audit.domain.anomalies.scopes import FUND_YEAR, fund_year_key, scopes_of_approval, scopes_of_payment
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome
from shared.china_time import business_year
from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED

REBUILD_CHUNK = 5000


@dataclass(frozen=True)
class AnomalyIntake:
    standards: Standards
    params: RuleParameters = RuleParameters()

    def take(self, session: Session, issued: Sequence[IssuedPayment], outcomes: Sequence[PaymentOutcome],
             approvals: Sequence[BatchApproved], now: datetime | None = None,
             failed: set[str] | None = None) -> list[Finding]:
        """Keep the aggregates up to date with these newly received facts; returns the per-event findings.

        failed: failed_before's answer, if the caller read it already. The findings are judged first: Python
        while the database may still be taking the caller's last rows."""
        findings = per_event_findings(issued, approvals, self.standards, self.params.officer_role)
        keep_aggregates(session, issued, outcomes, approvals, now or datetime.now(UTC), failed)
        return findings


@cache
def default_intake() -> AnomalyIntake:
    """The shipped catalog's intake (for a consumer built without one, as tests do)."""
    from services.audit.service.catalog_standards import catalog_standards

    return AnomalyIntake(catalog_standards())


def failed_before(session: Session, issued: Sequence[IssuedPayment]) -> set[str]:
    """Which of these payments the bank has returned as failed already (an outcome may arrive before its issue)."""
    return anomaly_repo.failed_among(session, sorted({p.payment_id for p in issued}))


def keep_aggregates(session: Session, issued: Sequence[IssuedPayment], outcomes: Sequence[PaymentOutcome],
                    approvals: Sequence[BatchApproved], now: datetime, failed: set[str] | None = None) -> None:
    if failed is None:
        failed = failed_before(session, issued)
    kept = {row["payment_id"] for row in anomaly_repo.record_payments(session, _first_of_each(issued), failed)}
    new = [p for p in _first_of_each(issued) if p.payment_id in kept]
    newly_failed = anomaly_repo.mark_failed(session, sorted({o.payment_id for o in outcomes if not o.settled}))
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for p in new:
        totals[(p.fund, business_year(p.issued_at))][0] += p.amount_fen
        if p.payment_id in failed:
            totals[(p.fund, business_year(p.issued_at))][1] += p.amount_fen
    for p in newly_failed:
        totals[(p.fund, business_year(p.issued_at))][1] += p.amount_fen
    for (fund, year), (issued_fen, failed_fen) in sorted(totals.items()):
        anomaly_repo.add_to_fund_year(session, fund, year, issued_fen, failed_fen)
    counts, approved = Counter(p.batch_id for p in issued), {b.batch_id: b for b in approvals}
    for batch_id in sorted(counts.keys() | approved.keys()):  # in id order: twin consumers lock rows alike
        if batch_id in counts:
            anomaly_repo.note_batch_events(session, batch_id, counts[batch_id], now)
        if batch_id in approved:
            anomaly_repo.note_approval(session, approved[batch_id], now)
    anomaly_repo.queue(session, [s for p in (*new, *newly_failed) for s in scopes_of_payment(p)]
                       + [s for b in approvals for s in scopes_of_approval(b)])


def budget_changed(session: Session, fund: str, year: int) -> None:
    """A budget set or restated: its fund-year is judged again."""
    anomaly_repo.queue(session, [(FUND_YEAR, fund_year_key(fund, year))])


def rebuild_aggregates(session: Session) -> None:
    """The aggregates of every event received so far, in arrival order (a database from before they existed)."""
    issued, outcomes, approvals = [], [], []
    for fact in received_repo.facts(session, (PAYMENT_ISSUED, BATCH_APPROVED, PAYMENT_SETTLED, PAYMENT_FAILED)):
        (issued if isinstance(fact, IssuedPayment) else outcomes if isinstance(fact, PaymentOutcome)
         else approvals).append(fact)
        if len(issued) + len(outcomes) + len(approvals) >= REBUILD_CHUNK:
            keep_aggregates(session, issued, outcomes, approvals, datetime.now(UTC))
            issued, outcomes, approvals = [], [], []
    keep_aggregates(session, issued, outcomes, approvals, datetime.now(UTC))
    for fund, year in anomaly_repo.budget_years(session):
        budget_changed(session, fund, year)


def _first_of_each(payments: Sequence[IssuedPayment]) -> list[IssuedPayment]:
    """One fact per payment id (a payment repeated under another event id is the reconciliation's to report)."""
    first: dict[str, IssuedPayment] = {}
    for p in payments:
        first.setdefault(p.payment_id, p)
    return list(first.values())
