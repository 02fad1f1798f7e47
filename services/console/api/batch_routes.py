"""The officer's pages: the queue of eligible entitlements, drafting a batch (a job), batches, one batch
with its approval trail, approve and reject with the refusal's figures, the payment file. (The second
officer's review with names and masked accounts comes with issue 14: the items table slots it in.)"""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api.web import Form, Officer, Staff, backends, render, text
from services.console.domain.queue import fund_totals
from services.console.service import batches as use

router = APIRouter(prefix="/officer")


@router.get("/queue")
def queue(request: Request, user: Staff):  # type: ignore[no-untyped-def]
    rows = use.queue(backends(request, user))
    return render(request, "officer/queue.html", rows=rows, funds=fund_totals(rows))


@router.post("/batches")
def draft(request: Request, form: Form, user: Officer) -> RedirectResponse:
    work = use.draft_work(backends(request, user), text(form, "fund"), text(form, "programme") or None)
    job = request.app.state.jobs.start(user.sub, "draft_batch", work)
    return RedirectResponse(f"/jobs/{job.job_id}", status_code=303)


@router.get("/batches")
def batches(request: Request, user: Staff):  # type: ignore[no-untyped-def]
    return render(request, "officer/batches.html", batches=use.batches(backends(request, user)))


@router.get("/batches/{batch_id}")
def batch(batch_id: str, request: Request, user: Staff):  # type: ignore[no-untyped-def]
    return _batch_page(request, use.batch(backends(request, user), batch_id), None, user.sub)


@router.post("/batches/{batch_id}/approve")
def approve(batch_id: str, request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    api = backends(request, user)
    decided = use.approve(api, batch_id)
    if decided.refusal is None:
        return RedirectResponse(f"/officer/batches/{batch_id}", status_code=303)
    return _batch_page(request, use.batch(api, batch_id), decided.refusal, user.sub, status_code=409)


@router.post("/batches/{batch_id}/reject")
def reject(batch_id: str, request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    api = backends(request, user)
    decided = use.reject(api, batch_id, text(form, "reason"))
    if decided.refusal is None:
        return RedirectResponse(f"/officer/batches/{batch_id}", status_code=303)
    return _batch_page(request, use.batch(api, batch_id), decided.refusal, user.sub, status_code=409)


@router.get("/batches/{batch_id}/payment-file")
def payment_file(batch_id: str, request: Request, user: Staff) -> Response:
    document = use.payment_file(backends(request, user), batch_id)
    return Response(document, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="payment-{batch_id}.xml"'})


def _batch_page(request: Request, batch, refusal, me: str, status_code: int = 200):  # type: ignore[no-untyped-def]
    return render(request, "officer/batch.html", status_code=status_code, batch=batch, refusal=refusal, me=me)
