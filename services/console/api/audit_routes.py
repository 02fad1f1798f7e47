"""The auditor's pages: a fund's dashboard for a year (server-side SVG charts, each with its data table),
the ledger with its per-fund books and verification, findings, the reconciliation and its CSV, a ledger
export (a job). (Finding statuses, the payment trail and the access log come with issue 14.)"""

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api import charts_view
from services.console.api.web import AuditReader, Form, backends, language, render, text
from services.console.domain.vocabulary import FUNDS
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


@router.get("/ledger")
def ledger(request: Request, user: AuditReader, fund: str | None = None,
           cursor: str | None = None):  # type: ignore[no-untyped-def]
    view = use.ledger(backends(request, user), fund or None, cursor)
    return render(request, "audit/ledger.html", view=view, fund=fund or "", funds=list(FUNDS))


@router.post("/ledger/export")
def export_ledger(request: Request, form: Form, user: AuditReader) -> RedirectResponse:
    job = request.app.state.jobs.start(user.sub, "ledger_export",
                                       use.ledger_export_work(backends(request, user), text(form, "fund") or None))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.get("/findings")
def findings(request: Request, user: AuditReader, rule: str | None = None,
             severity: str | None = None):  # type: ignore[no-untyped-def]
    items = use.findings(backends(request, user), rule or None, severity or None)
    return render(request, "audit/findings.html", findings=items, rule=rule or "", severity=severity or "")


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
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="reconciliation.csv"'})
