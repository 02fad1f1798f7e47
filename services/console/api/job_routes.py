"""A job's page: progress while it runs (polled by htmx, or a refresh without script), then where it leads:
the batch it drafted, the lines of the bank return it applied, the file it exported."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api.web import PageRefused, User, render
from services.console.domain.vocabulary import N_

router = APIRouter(prefix="/jobs")


def _job(request: Request, job_id: str, owner: str):  # type: ignore[no-untyped-def]
    job = request.app.state.jobs.get(job_id, owner)
    if job is None:
        raise PageRefused(N_("No such job: it may have finished more than an hour ago."), status=404)
    return job


@router.get("/{job_id}")
def job_page(job_id: str, request: Request, user: User):  # type: ignore[no-untyped-def]
    job = _job(request, job_id, user.sub)
    if job.finished and not job.failed and job.result_url:
        return RedirectResponse(job.result_url, status_code=303)
    if job.finished and not job.failed and job.result is not None:  # a bank return: its lines
        return render(request, "officer/bank_return.html", uploads=job.result.uploads, lines=job.result.lines,
                      summary=job.result.summary)
    return render(request, "jobs/job.html", job=job)


@router.get("/{job_id}/progress")
def progress(job_id: str, request: Request, user: User):  # type: ignore[no-untyped-def]
    """The progress fragment htmx swaps in; once finished it tells htmx to load the job's page."""
    job = _job(request, job_id, user.sub)
    response = render(request, "jobs/progress.html", job=job)
    if job.finished:
        response.headers["HX-Redirect"] = f"/jobs/{job_id}"
    return response


@router.get("/{job_id}/download")
def download(job_id: str, request: Request, user: User) -> Response:
    job = _job(request, job_id, user.sub)
    if job.download is None:
        raise PageRefused(N_("This job has no file (yet)."), status=404)
    name, media_type, data = job.download
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
