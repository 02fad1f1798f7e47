"""Funds (contract §4): yearly budgets set by an admin, issued totals, and the approval limits in force."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request

from services.disbursement.api.finance_deps import limits_of
from services.disbursement.api.finance_schemas import BudgetAmount
from services.disbursement.api.responses import FundOut, FundPage
from services.disbursement.api.routes import DB
from services.disbursement.service.fund_budgets import fund_view, funds_view, set_budget
from shared.china_time import business_year
from shared.pagination import slice_page
from shared.web.query import Cursor, Limit
from shared.web.security import Admin, Staff

router = APIRouter(tags=["funds"])
Year = Annotated[int, Path(ge=2000, le=2100)]


@router.get("/v1/funds", response_model=FundPage)
def list_funds(request: Request, caller: Staff, db: DB,
               year: Annotated[int | None, Query(ge=2000, le=2100)] = None, limit: Limit = 50,
               cursor: Cursor = None) -> dict[str, Any]:
    """Each fund's budget, issued total and remainder for a year (default: this year, China time),
    with the dual-approval threshold and the officer daily limit."""
    view = funds_view(db, catalog=request.app.state.catalog, year=year or business_year(datetime.now(UTC)),
                      limits=limits_of(request), caller=caller)
    view["items"], view["next_cursor"] = slice_page(view["items"], limit, cursor)
    return view


@router.put("/v1/funds/{fund}/budgets/{year}", response_model=FundOut)
def put_budget(fund: str, year: Year, request: Request, caller: Admin, db: DB,
               body: Annotated[BudgetAmount, Body()]) -> dict[str, Any]:
    """Set a fund's budget for a year (admin); approvals past it are refused with 409."""
    catalog = request.app.state.catalog
    set_budget(db, catalog=catalog, fund=fund, year=year, amount_fen=body.amount_fen, admin=caller)
    db.flush()
    return fund_view(db, catalog=catalog, fund=fund, year=year)
