"""Fund budgets for a year: every staff member reads them; an administrator sets them."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Admin, Form, Staff, backends, render, text
from services.console.service import funds as use
from services.console.service.backends import ApiProblem
from shared.china_time import business_year

router = APIRouter(prefix="/officer/funds")


@router.get("")
def funds(request: Request, user: Staff, year: int | None = None):  # type: ignore[no-untyped-def]
    return _page(request, user, year, errors={})


@router.post("/{fund}/{year}")
def set_budget(fund: str, year: int, request: Request, form: Form, user: Admin):  # type: ignore[no-untyped-def]
    try:
        use.set_budget(backends(request, user), fund, year, text(form, "amount"))
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        messages = [e.get("message", "") for e in problem.errors] or [problem.detail]
        return _page(request, user, year, errors={fund: messages}, status_code=422)
    return RedirectResponse(f"/officer/funds?year={year}", status_code=303)


def _page(request: Request, user, year: int | None, errors: dict, status_code: int = 200):  # type: ignore[no-untyped-def]
    year = year or business_year(datetime.now(UTC))
    view = use.funds(backends(request, user), year)
    return render(request, "officer/funds.html", status_code=status_code, view=view, year=year, errors=errors,
                  can_set=user.role == "admin")
