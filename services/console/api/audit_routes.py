"""The auditor's pages: a fund's dashboard for a year (server-side SVG charts, each with its data table),
the ledger with its per-fund books, heads, verification and checkpoints, the reconciliation with its breaks, and
the CSV of each of their tables (the journal as a job). Findings, payment trails and the access log have their
own modules."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api import charts_view
from services.console.api.downloads import attachment
from services.console.api.web import AuditReader, Form, PageRefused, backends, language, render, text
from services.console.domain.vocabulary import FUNDS, N_
from services.console.service import audit_views as use
from shared.china_time import business_year

router = APIRouter(prefix="/audit")
DEFAULT_FUND = "unemployment_insurance"


@router.get("/dashboard")
def dashboard(request: Request, user: AuditReader, fund: str = DEFAULT_FUND,
              year: int | None = None):  # type: ignore[no-untyped-def]
    year = year or business_year(datetime.now(UTC))
    board = use.dashboard(backends(request, user), fund if fund in FUNDS else DEFAULT_FUND, year)
    locale = language(request)
    months = charts_view.month_names(locale)
    return render(request, "audit/dashboard.html", board=board, funds=list(FUNDS), year=year,
                  charts=charts_view.dashboard_charts(board, locale), month_label=lambda m: months[m - 1])


@router.get("/dashboard/fund-usage.csv")
def fund_usage_csv(request: Request, user: AuditReader, year: int | None = None) -> Response:
    year = year or business_year(datetime.now(UTC))
    return attachment(backends(request, user).audit.fund_usage_csv(year), f"fund-usage-{year}.csv")


@router.get("/dashboard/findings-by-rule.csv")
def findings_by_rule_csv(request: Request, user: AuditReader) -> Response:
    return attachment(use.findings_by_rule_csv(backends(request, user)), "findings-by-rule.csv")


@router.get("/ledger")
def ledger(request: Request, user: AuditReader, fund: str | None = None, cursor: str | None = None,
           full: bool = False):  # type: ignore[no-untyped-def]
    view = use.ledger(backends(request, user), fund or None, cursor, full)
    return render(request, "audit/ledger.html", view=view, fund=fund or "", funds=list(FUNDS), full=full)


@router.post("/ledger/checkpoints")
def sign_checkpoints(request: Request, form: Form, user: AuditReader) -> RedirectResponse:
    """Sign every fund's log as it stands now (the audit also signs on its own schedule)."""
    backends(request, user).audit.sign_checkpoints()
    return RedirectResponse("/audit/ledger", status_code=303)


@router.get("/ledger/{table}.csv")
def ledger_csv(table: str, request: Request, user: AuditReader) -> Response:
    if table not in use.LEDGER_TABLES:
        raise PageRefused(N_("Not found."), status=404)
    view = use.ledger(backends(request, user), None, None)
    return attachment(use.ledger_table_csv(view, table), f"ledger-{table}.csv")


@router.post("/ledger/export")
def export_ledger(request: Request, form: Form, user: AuditReader) -> RedirectResponse:
    job = request.app.state.jobs.start(user.sub, "ledger_export",
                                       use.ledger_export_work(backends(request, user), text(form, "fund") or None))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.get("/reconciliation")
def reconciliation(request: Request, user: AuditReader, fund: str | None = None, from_: str | None = None,
                   to: str | None = None):  # type: ignore[no-untyped-def]
    report = use.reconciliation(backends(request, user), fund or None, from_ or None, to or None)
    return render(request, "audit/reconciliation.html", report=report, fund=fund or "", from_=from_ or "",
                  to=to or "", funds=list(FUNDS))


@router.get("/reconciliation.csv")
def reconciliation_csv(request: Request, user: AuditReader, fund: str | None = None, from_: str | None = None,
                       to: str | None = None) -> Response:
    data = use.reconciliation_csv(backends(request, user), fund or None, from_ or None, to or None)
    return attachment(data, "reconciliation.csv")
