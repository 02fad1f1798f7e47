"""Bank returns: upload a CSV or pain.002 file (applied by a job, with progress), see each line's outcome.
(A bank statement, which changes no payment, is bank_statement_routes.)"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Form, Officer, Staff, backends, render, upload, uploaded_bytes
from services.console.domain.vocabulary import N_
from services.console.service import bank_returns as use

router = APIRouter(prefix="/officer/bank-returns")


@router.get("")
def upload_page(request: Request, user: Officer):  # type: ignore[no-untyped-def]
    return render(request, "officer/bank_return_upload.html", error=None)


@router.post("")
def apply(request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    data, file = uploaded_bytes(form, "file"), upload(form, "file")
    if data is None or file is None:
        return render(request, "officer/bank_return_upload.html", status_code=422,
                      error=N_("Choose a bank return file (CSV or pain.002 XML) of at most 50 MB."))
    job = request.app.state.jobs.start(user.sub, "bank_return", use.apply_work(backends(request, user), data,
                                                                               file.content_type or ""))
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.get("/{upload_id}")
def one_upload(upload_id: str, request: Request, user: Staff):  # type: ignore[no-untyped-def]
    result = use.upload(backends(request, user), upload_id)
    return render(request, "officer/bank_return.html", uploads=[result.upload_id], lines=result.lines,
                  summary=result.summary)
