"""Long work off the request: drafting a batch of thousands, applying a large bank return, exporting a large
report. A job runs on a small thread pool in the console process and reports (done, total, stage); the page
polls its progress and moves on when it is finished. Jobs belong to the user who started them and are
forgotten an hour after they end (the console keeps no business data).

One console process holds its own jobs: run the console as one process (it does little work of its own)."""

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from services.console.service.backends import ApiProblem
from shared.logging import get_logger

KEEP_SECONDS = 3600
log = get_logger("console.jobs")


@dataclass
class Job:
    job_id: str
    owner: str
    kind: str
    done: int = 0
    total: int | None = None  # None: not known (yet)
    stage: str = "queued"
    finished: bool = False
    result_url: str | None = None  # where the page goes when the job is done
    download: tuple[str, str, bytes] | None = None  # (file name, media type, bytes)
    result: Any = None  # what the finished page shows (a bank return's per-line outcomes)
    problem: ApiProblem | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None

    @property
    def percent(self) -> int | None:
        if self.finished and not self.failed:
            return 100
        if not self.total:
            return None
        return min(99, int(self.done * 100 / self.total))

    @property
    def failed(self) -> bool:
        return self.problem is not None or self.error is not None

    def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if stage is not None:
            self.stage = stage


Work = Callable[[Job], Any]


class JobRunner:
    def __init__(self, workers: int = 2):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="console-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, owner: str, kind: str, work: Work) -> Job:
        job = Job(job_id=uuid.uuid4().hex, owner=owner, kind=kind)
        with self._lock:
            self._forget_old()
            self._jobs[job.job_id] = job
        self._pool.submit(self._run, job, work)
        return job

    def get(self, job_id: str, owner: str) -> Job | None:
        """The job, only for the user who started it."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, work: Work) -> None:
        job.stage = "running"
        try:
            work(job)
        except ApiProblem as problem:
            job.problem = problem
        except Exception as exc:  # noqa: BLE001 - the page shows that the job failed, the log says why
            log.exception("console.job_failed", kind=job.kind, job_id=job.job_id)
            job.error = type(exc).__name__
        finally:
            job.finished, job.ended = True, time.monotonic()

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id in [j for j, job in self._jobs.items() if job.ended and now - job.ended > KEEP_SECONDS]:
            del self._jobs[job_id]
