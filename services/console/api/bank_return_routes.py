"""Bank returns: upload a CSV or pain.002 file (applied by a job, with progress), see each line's outcome.
(A bank statement, which changes no payment, is bank_statement_routes.)"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Form, Officer, Staff, backends, render, upload
from services.console.domain.vocabulary import N_
from services.console.service import bank_returns as use

router = APIRouter(prefix="/officer/bank-returns")
MAX_FILE_BYTES = 50 * 1024 * 1024


@router.get("")
def upload_page(request: Request, user: Officer):  # type: ignore[no-untyped-def]
    return render(request, "officer/bank_return_upload.html", error=None)


@router.post("")
def apply(request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    file = upload(form, "file")
    data = file.file.read(MAX_FILE_BYTES + 1) if file is not None else b""
    if not data.strip() or len(data) > MAX_FILE_BYTES:
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
