"""The reconciliation report over the audit database, for a window of China calendar days and a fund.

A payment belongs to the window by the day its batch was approved, or, with no approval received,
the day of its first issue or outcome event; a batch by the day it was approved. Clean payments come
from the database as one tally a batch, so the window takes those of the batches it selects.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from services.audit.db import bank_statements_repo, reconciliation_source
from services.audit.db.received_repo import facts
from services.audit.db.stream_breaks import open_stream_breaks
from services.audit.domain.chain import format_utc
from services.audit.domain.events import BatchApproved
from services.audit.domain.reconciliation import (Break, BatchControl, PaymentTrail, ReconciliationReport,
                                                  not_overdue_from, reconcile, stream_break)
from shared.china_time import business_day
from shared.events import BATCH_APPROVED


def reconciliation(session: Session, *, first_day: date | None, last_day: date | None, fund: str | None,
                   as_of: datetime, unsettled_after: timedelta) -> ReconciliationReport:
    def in_window(day: date | None) -> bool:
        return day is None or ((first_day is None or day >= first_day) and (last_day is None or day <= last_day))

    approvals: dict[str, BatchApproved] = {}
    for fact in facts(session, (BATCH_APPROVED,)):
        if isinstance(fact, BatchApproved):
            approvals.setdefault(fact.batch_id, fact)  # a repeated approval of a batch: the first counts
    controls = [BatchControl(a.batch_id, a.fund, a.count, a.total_fen, len(a.payment_ids)) for a in approvals.values()
                if in_window(business_day(a.approved_at)) and fund in (None, a.fund)]

    tallies, trails = reconciliation_source.payment_trails(
        session, not_overdue_from=not_overdue_from(as_of, unsettled_after))
    chosen = {c.batch_id for c in controls}

    def selected() -> Iterator[PaymentTrail]:
        for trail, first_seen in trails:
            approval = approvals.get(trail.batch_id or "")
            anchor = business_day(approval.approved_at) if approval else first_seen
            owner = ((approval.fund if approval else None) or trail.issued_fund or trail.posted_fund
                     or trail.settled_fund)
            if in_window(anchor) and fund in (None, owner):
                yield trail

    report = reconcile(controls, selected(), as_of=as_of, unsettled_after=unsettled_after,
                       clean=[t for t in tallies if t.batch_id in chosen])
    # whatever fund or day a lost stretch held, it is unknown until received: every report shows it
    report.breaks += [stream_break(b.source, b.topic, b.kind, b.first_sequence, b.last_sequence,
                                   format_utc(b.requested_at.replace(tzinfo=b.requested_at.tzinfo or UTC))) for b in open_stream_breaks(session)]
    # the bank statements' unmatched entries and payments, in the window by booking (or statement) day, until
    # a later statement matches them (service.bank_statements)
    for b in bank_statements_repo.open_breaks(session, fund):
        if in_window(b["day"]):
            report.breaks.append(Break(b["kind"], b["payment_id"], b["batch_id"], b["fund"], b["detail"]))
            row = next((r for r in report.funds if r.fund == b["fund"]), None)
            if row is not None:  # a fund with no payments in the window has no row: the break is listed only
                row.note([b["kind"]])
    return report
