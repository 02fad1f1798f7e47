"""The funds' yearly budgets as the audit holds them: the figures its budget rule checks issued totals against.

Set by finance (grants.fund.budget_set, consumed) or restated by an audit admin (PUT /v1/budgets/{fund}/{year});
the last one set counts.
"""

from collections.abc import Callable

from sqlmodel import Session

from services.audit.db import review_repo
from services.audit.service.anomaly_intake import budget_changed
from shared.event_payloads import FundBudgetSet
from shared.errors import NotFound
from shared.logging import get_logger
from shared.money import parse_fen

log = get_logger("audit.budgets")


def record_budget(session: Session, budget: FundBudgetSet, *, source: str) -> None:
    """The budget finance set for a fund and year (`source`: the producer, when the event names no setter)."""
    review_repo.set_budget(session, fund=budget.fund, year=budget.year, amount_fen=parse_fen(budget.amount),
                           set_by=budget.set_by or source)
    budget_changed(session, budget.fund, budget.year)
    log.info("audit.fund_budget_recorded", fund=budget.fund, year=budget.year)


def set_budget(session: Session, *, fund: str, year: int, amount_fen: int, set_by: str,
               known_fund: Callable[[str], bool] = lambda _: True) -> None:
    """An admin's restatement; a fund the catalog does not hold is a 404 (nothing stored)."""
    if not known_fund(fund):
        raise NotFound(f"no fund {fund} in the policy catalog")
    review_repo.set_budget(session, fund=fund, year=year, amount_fen=amount_fen, set_by=set_by)
    budget_changed(session, fund, year)
