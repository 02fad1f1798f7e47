"""Findings: the list with its filters and CSV, a finding's page with its history and recoveries, and the
forms that move it (acknowledge, resolve, dismiss as a false positive, reopen; each with a note) or record money
recovered. Only an auditor works findings (the audit refuses an administrator); both may read them."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api.downloads import attachment
from services.console.api.web import AuditReader, Form, backends, render, text
from services.console.domain.vocabulary import FINDING_STATUSES, FUNDS
from services.console.service import audit_work as use
from services.console.service.backends import ApiProblem

router = APIRouter(prefix="/audit/findings")


def _filters(rule: str | None, severity: str | None, status: str | None, fund: str | None) -> use.FindingFilters:
    return use.FindingFilters(rule or None, severity or None, status or None, fund if fund in FUNDS else None)


@router.get("")
def findings(request: Request, user: AuditReader, rule: str | None = None, severity: str | None = None,
             status: str | None = None, fund: str | None = None):  # type: ignore[no-untyped-def]
    filters = _filters(rule, severity, status, fund)
    items = use.findings(backends(request, user), filters)
    return render(request, "audit/findings.html", findings=items, filters=filters, funds=list(FUNDS),
                  query=request.url.query)


@router.get(".csv")
def findings_csv(request: Request, user: AuditReader, rule: str | None = None, severity: str | None = None,
                 status: str | None = None, fund: str | None = None) -> Response:
    items = use.findings(backends(request, user), _filters(rule, severity, status, fund))
    return attachment(use.findings_csv(items), "findings.csv")


def _page(request: Request, user, finding_id: str, problem: ApiProblem | None = None,  # type: ignore[no-untyped-def]
          status_code: int = 200):
    record = use.finding(backends(request, user), finding_id)
    moves = [s for s in FINDING_STATUSES if s != record.status]
    return render(request, "audit/finding.html", status_code=status_code, finding=record, moves=moves,
                  problem=problem, can_work=user.role == "auditor")


@router.get("/{finding_id}")
def finding_page(finding_id: str, request: Request, user: AuditReader):  # type: ignore[no-untyped-def]
    return _page(request, user, finding_id)


def _worked(request: Request, user, finding_id: str, work, anchor: str):  # type: ignore[no-untyped-def]
    """Do the work, then back to the finding; a refusal of the audit is shown on the finding's page."""
    try:
        work(backends(request, user))
    except ApiProblem as problem:
        if problem.status not in (403, 409, 422):
            raise
        return _page(request, user, finding_id, problem, problem.status)
    return RedirectResponse(f"/audit/findings/{finding_id}#{anchor}", status_code=303)


@router.post("/{finding_id}/status")
def move(finding_id: str, request: Request, form: Form, user: AuditReader):  # type: ignore[no-untyped-def]
    status, note = text(form, "status"), text(form, "note")
    return _worked(request, user, finding_id, lambda b: use.move_finding(b, finding_id, status, note), "status")


@router.post("/{finding_id}/recoveries")
def recover(finding_id: str, request: Request, form: Form, user: AuditReader):  # type: ignore[no-untyped-def]
    amount, entry_id, note = text(form, "amount"), text(form, "entry_id"), text(form, "note")
    return _worked(request, user, finding_id,
                   lambda b: use.record_recovery(b, finding_id, amount, entry_id, note), "recoveries")


@router.get("/{finding_id}/history.csv")
def history_csv(finding_id: str, request: Request, user: AuditReader) -> Response:
    return attachment(use.history_csv(use.finding(backends(request, user), finding_id)), "finding-history.csv")


@router.get("/{finding_id}/recoveries.csv")
def recoveries_csv(finding_id: str, request: Request, user: AuditReader) -> Response:
    return attachment(use.recoveries_csv(use.finding(backends(request, user), finding_id)), "finding-recoveries.csv")
