"""Fund budgets per year (set by an admin) and what GET /v1/funds shows: budget, issued, remaining."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.batch_tables import FundBudgetRow
from services.disbursement.db.tables import outbox
from services.disbursement.db.finance_locks import fund_year_lock, lock_names, serialise_writers_on_sqlite
from services.disbursement.domain.approval_policy import Limits
from shared.auth import Principal
from shared.catalog import Catalog
from shared.china_time import business_day
from shared.events import DISBURSEMENT_SOURCE, FUND_BUDGET_SET, new_event
from shared.logging import get_logger
from shared.money import CURRENCY, format_fen
from shared.outbox import enqueue
from shared.errors import NotFound

log = get_logger("disbursement.budgets")


def set_budget(session: Session, *, catalog: Catalog, fund: str, year: int, amount_fen: int, admin: Principal) -> None:
    """Set (or replace) a fund's budget for a year, under the lock approvals of that fund-year take."""
    _known_fund(catalog, fund)
    serialise_writers_on_sqlite(session)
    lock_names(session, [fund_year_lock(fund, year)])
    now = datetime.now(UTC)
    row = payments_repo.budget(session, fund, year)
    if row is None:
        row = FundBudgetRow(fund=fund, year=year, amount_fen=amount_fen, set_by=admin.sub, set_at=now)
    row.amount_fen, row.set_by, row.set_at = amount_fen, admin.sub, now
    session.add(row)
    enqueue(session, outbox, new_event(FUND_BUDGET_SET, DISBURSEMENT_SOURCE, fund, {
        "fund": fund, "year": year, "amount": format_fen(amount_fen), "currency": CURRENCY,
        "set_by": admin.sub, "set_at": now.isoformat()}), key=fund)
    log.info("disbursement.fund_budget_set", fund=fund, year=year, amount=format_fen(amount_fen))


def fund_view(session: Session, *, catalog: Catalog, fund: str, year: int) -> dict[str, Any]:
    _known_fund(catalog, fund)
    budget = payments_repo.budget(session, fund, year)
    return _item(catalog, fund, year, budget, payments_repo.issued_total(session, fund, year))


def funds_view(session: Session, *, catalog: Catalog, year: int, limits: Limits, caller: Principal) -> dict[str, Any]:
    budgets, issued = payments_repo.budgets(session, year), payments_repo.issued_totals(session, year)
    items = [_item(catalog, fund, year, budgets.get(fund), issued.get(fund, 0)) for fund in sorted(catalog.index.funds)]
    approved_today = batch_repo.approved_on(session, caller.sub, business_day(datetime.now(UTC)))
    return {
        "items": items, "next_cursor": None, "year": year,
        "approval_limits": {
            "dual_approval_threshold": format_fen(limits.dual_approval_threshold_fen),
            "officer_daily_limit": format_fen(limits.officer_daily_limit_fen),
            "officer_daily_limits": {sub: format_fen(fen) for sub, fen in sorted(limits.officer_limits_fen.items())},
            "fund_budget_required": limits.budget_required, "currency": CURRENCY,
            "your_daily_limit": format_fen(limits.daily_limit_for(caller.sub)),
            "you_approved_today": format_fen(approved_today),
        },
    }


def _item(catalog: Catalog, fund: str, year: int, budget: FundBudgetRow | None, issued_fen: int) -> dict[str, Any]:
    return {
        "fund": fund, "name": catalog.index.funds[fund].name, "year": year, "currency": CURRENCY,
        "budget": format_fen(budget.amount_fen) if budget else None,
        "issued": format_fen(issued_fen),
        "remaining": format_fen(budget.amount_fen - issued_fen) if budget else None,
        "budget_set_by": budget.set_by if budget else None,
        "budget_set_at": budget.set_at.isoformat() if budget else None,
    }


def _known_fund(catalog: Catalog, fund: str) -> None:
    if fund not in catalog.index.funds:
        raise NotFound(f"no fund {fund}; funds: {', '.join(sorted(catalog.index.funds))}")
