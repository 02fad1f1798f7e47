"""Bank statements: upload a fund account's camt.053 statement (or camt.054 debit notification) and see each
booked debit matched to its payment, the entries no payment explains and the payments no entry books."""

from fastapi import APIRouter, Request

from services.console.api.web import Form, Staff, backends, render, uploaded_bytes
from services.console.domain.vocabulary import N_
from services.console.service import bank_statements as use
from services.console.service.backends import ApiProblem

router = APIRouter(prefix="/officer/bank-statements")
_FORM = "officer/bank_statement_upload.html"


@router.get("")
def upload_page(request: Request, user: Staff):  # type: ignore[no-untyped-def]
    return render(request, _FORM, error=None, detail=None)


@router.post("")
def reconcile(request: Request, form: Form, user: Staff):  # type: ignore[no-untyped-def]
    data = uploaded_bytes(form, "file")
    if data is None:
        return render(request, _FORM, status_code=422, detail=None,
                      error=N_("Choose a bank statement file (camt.053 or camt.054 XML) of at most 50 MB."))
    try:
        result = use.reconcile(backends(request, user), data)
    except ApiProblem as problem:
        if problem.status not in (413, 415, 422):
            raise
        # the service's own words say which element is wrong (an unknown account, not a statement at all)
        details = [e.get("message", "") for e in problem.errors if e.get("message")] or [problem.detail]
        return render(request, _FORM, status_code=422, error=N_("The bank statement was refused."),
                      detail="; ".join(details))
    return render(request, "officer/bank_statement.html", statement=result)
