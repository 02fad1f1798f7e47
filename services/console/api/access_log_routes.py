"""The access log: who read which claim's personal data or batch's payment file, or was refused, and why;
filtered and paged as the audit serves it. This page as CSV comes straight from the audit; every record the
filters select is exported as a job, so a long log never holds the page."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api.downloads import attachment
from services.console.api.web import AuditReader, Form, backends, render
from services.console.service import audit_work as use

router = APIRouter(prefix="/audit/access-log")


@router.get("")
def access_log(request: Request, user: AuditReader, cursor: str | None = None):  # type: ignore[no-untyped-def]
    filters = use.access_filters(dict(request.query_params))
    page = use.access_log(backends(request, user), filters, cursor)
    return render(request, "audit/access_log.html", page=page, filters=filters, cursor=cursor or "")


@router.get(".csv")
def access_log_csv(request: Request, user: AuditReader, cursor: str | None = None) -> Response:
    filters = use.access_filters(dict(request.query_params))
    data, _next = backends(request, user).audit.access_log_csv(filters, cursor)
    return attachment(data, "access-log-page.csv")


@router.post("/export")
def export(request: Request, form: Form, user: AuditReader) -> RedirectResponse:
    filters = use.access_filters({name: value for name, value in form.items() if isinstance(value, str)})
    job = request.app.state.jobs.start(user.sub, "access_log_export",
                                       use.access_log_export_work(backends(request, user), filters))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)
