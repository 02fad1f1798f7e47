"""A bank statement delivered by disbursement (grants.bank_statement.reconciled): kept once per event, its
matches clearing the fund's open statement breaks, then its unmatched entries and payments raised as breaks
(domain.statement_breaks) that the reconciliation report lists."""

from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from services.audit.db import bank_statements_repo as repo
from services.audit.domain.statement_breaks import cleared_by, statement_breaks
from shared.event_payloads import BankStatementReconciled
from shared.logging import get_logger

log = get_logger("audit.bank_statements")


def record_statement(session: Session, data: BankStatementReconciled, *, event_id: str) -> bool:
    """True when this event was new (a redelivery changes nothing)."""
    now = datetime.now(UTC)
    period = data.period or [None, None]
    if not repo.keep_statement(session, {
            "event_id": event_id, "statement_id": data.statement_id, "fund": data.fund, "form": data.form,
            "first_day": period[0], "last_day": period[-1], "matched": len(data.matched),
            "reconciled_at": data.reconciled_at, "received_at": now}):
        return False
    cleared = repo.clear_matched(session, data.fund, cleared_by(data), data.statement_id, now)
    still_open = {(b["kind"], b["reference"]) for b in repo.open_breaks(session, data.fund)}
    raised = [b for b in statement_breaks(data) if (b.kind, b.reference) not in still_open]
    repo.raise_breaks(session, [{**asdict(b), "event_id": event_id, "statement_id": data.statement_id,
                                 "fund": data.fund} for b in raised])
    log.info("audit.bank_statement_recorded", statement_id=data.statement_id, fund=data.fund,
             breaks_raised=len(raised), breaks_cleared=cleared)
    return True
