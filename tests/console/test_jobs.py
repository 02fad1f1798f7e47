"""Long work runs as a job: the page shows its progress while it runs (and the fragment htmx polls), then leads
to its result; a job is its starter's alone."""

import threading

from tests.console.support import console, sign_in


def _job_waiting_on(client, owner: str, gate: threading.Event, reached: threading.Event):  # type: ignore[no-untyped-def]
    def work(job):  # type: ignore[no-untyped-def]
        job.progress(2, 4, "uploading")
        reached.set()
        gate.wait(10)
        job.progress(4, 4, "done")
        job.result_url = "/officer/batches/B1"

    return client.app.state.jobs.start(owner, "bank_return", work)


def test_a_running_job_shows_its_progress_then_leads_to_its_result():
    client = console()
    sign_in(client, "officer", "李明")
    gate, reached = threading.Event(), threading.Event()
    job = _job_waiting_on(client, "李明", gate, reached)
    assert reached.wait(5)
    page = client.get(f"/jobs/{job.job_id}")
    assert page.status_code == 200
    assert '<progress id="job-bar" max="100" value="50">' in page.text and "2 / 4" in page.text
    assert "正在发送文件各行" in page.text and f'hx-get="/jobs/{job.job_id}/progress"' in page.text
    assert '<meta http-equiv="refresh" content="2">' in page.text  # without script, the page refreshes itself
    fragment = client.get(f"/jobs/{job.job_id}/progress")
    assert "HX-Redirect" not in fragment.headers and "<html" not in fragment.text
    gate.set()
    client.app.state.jobs._pool.shutdown(wait=True)  # the job has ended
    done = client.get(f"/jobs/{job.job_id}/progress")
    assert done.headers["HX-Redirect"] == f"/jobs/{job.job_id}"
    assert client.get(f"/jobs/{job.job_id}", follow_redirects=False).headers["location"] == "/officer/batches/B1"


def test_a_job_is_only_its_starters():
    client = console()
    sign_in(client, "officer", "赵强")
    gate, reached = threading.Event(), threading.Event()
    job = _job_waiting_on(client, "李明", gate, reached)
    gate.set()
    refused = client.get(f"/jobs/{job.job_id}")
    assert refused.status_code == 404 and "找不到该任务" in refused.text
