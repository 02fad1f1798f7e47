"""GET /v1/anomalies (contract §5), GET /v1/quarantined-events, and PUT /v1/budgets/{fund}/{year} (the
budgets the budget rule reads)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request

from services.audit.api.deps import DB, Admin, Auditor
from services.audit.api.schemas import (BudgetIn, BudgetOut, FindingPage, QuarantinedOut, QuarantinePage,
                                        finding_out)
from services.audit.domain.anomalies.engine import RULE_NAMES
from services.audit.domain.anomalies.findings import SEVERITIES, STATUSES
from services.audit.domain.chain import format_utc
from services.audit.service.findings_review import findings_page, quarantined_page
from services.audit.service.budget_records import set_budget
from services.audit.service.ledger_ingest import UNPOSTABLE_RULE
from shared.errors import invalid
from shared.money import format_fen, parse_fen
from shared.pagination import decode_cursor, page_of
from shared.web.query import Cursor, Limit

router = APIRouter(tags=["anomalies"])
RULES = (*RULE_NAMES, UNPOSTABLE_RULE)
FUND_CODE = r"^[a-z][a-z0-9_]{0,63}$"


@router.get("/v1/anomalies", response_model=FindingPage)
def anomalies(_: Auditor, db: DB, rule: str | None = None, severity: str | None = None, status: str | None = None,
              limit: Limit = 50, cursor: Cursor = None) -> FindingPage:
    """Findings as stored, in the order they were first found (ingest and the anomaly worker keep them current)."""
    if rule is not None and rule not in RULES:
        raise invalid("rule", f"unknown rule; one of {', '.join(RULES)}")
    if severity is not None and severity not in SEVERITIES:
        raise invalid("severity", f"one of {', '.join(SEVERITIES)}")
    if status is not None and status not in STATUSES:
        raise invalid("status", f"one of {', '.join(STATUSES)}")
    (after,) = decode_cursor(cursor, int) or (0,)
    rows = findings_page(db, rule=rule, severity=severity, status=status, after_id=after, limit=limit + 1)
    page, next_cursor = page_of(rows, limit, lambda row: (row.id,))
    return FindingPage(items=[finding_out(r) for r in page], next_cursor=next_cursor)


@router.get("/v1/quarantined-events", response_model=QuarantinePage)
def quarantined_events(_: Auditor, db: DB, reason: str | None = None, limit: Limit = 50,
                       cursor: Cursor = None) -> QuarantinePage:
    """Events received but not posted to the ledger, and why (released_* set once a waiting outcome posted)."""
    (after,) = decode_cursor(cursor, int) or (0,)
    rows = quarantined_page(db, reason=reason, after_id=after, limit=limit + 1)
    page, next_cursor = page_of(rows, limit, lambda row: (row.id,))
    items = [QuarantinedOut(event_id=r.event_id, event_type=r.event_type, payment_id=r.payment_id, reason=r.reason,
                            detail=r.detail, quarantined_at=format_utc(r.quarantined_at),
                            released_entry_id=r.released_entry_id,
                            released_at=format_utc(r.released_at) if r.released_at else None) for r in page]
    return QuarantinePage(items=items, next_cursor=next_cursor)


@router.put("/v1/budgets/{fund}/{year}", response_model=BudgetOut, tags=["budgets"])
def put_budget(request: Request, caller: Admin, db: DB, body: BudgetIn, fund: Annotated[str, Path(pattern=FUND_CODE)],
               year: Annotated[int, Path(ge=2000, le=2100)]) -> BudgetOut:
    """The fund's budget for a calendar year as the audit holds it (role admin); the budget rule reads it."""
    try:
        amount_fen = parse_fen(body.amount)
    except ValueError as exc:
        raise invalid("amount", str(exc)) from exc
    if amount_fen < 0:
        raise invalid("amount", "must not be negative")
    set_budget(db, fund=fund, year=year, amount_fen=amount_fen, set_by=caller.sub,
               known_fund=request.app.state.standards.knows_fund)
    return BudgetOut(fund=fund, year=year, amount=format_fen(amount_fen))
