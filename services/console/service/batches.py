"""The officer's use cases: the queue, drafting a batch (a job: a batch takes up to 20,000 claims), a
batch's page, approval and rejection, the payment file."""

from dataclasses import dataclass

from services.console.domain.approvals import Refusal, refusal_of
from services.console.domain.queue import QueueRow, group_entitlements
from services.console.service.api_models import Batch
from services.console.service.backends import ApiProblem, Backends
from services.console.service.jobs import Job

REFUSED_STATUSES = (403, 409)


def queue(backends: Backends) -> list[QueueRow]:
    return group_entitlements(e.model_dump() for e in backends.disbursement.entitlements(status="eligible"))


def draft_work(backends: Backends, fund: str, programme: str | None):  # type: ignore[no-untyped-def]
    """The job that drafts: count what the batch will take (progress while it pages), then draft it."""

    def work(job: Job) -> None:
        job.progress(0, None, "counting")
        count = 0
        for _ in backends.disbursement.entitlements(status="eligible", fund=fund, programme=programme):
            count += 1
            if count % 500 == 0:
                job.progress(count, None, "counting")
        job.progress(0, count, "drafting")
        batch = backends.disbursement.draft_batch(fund, programme)
        job.progress(batch.count, batch.count, "done")
        job.result_url = f"/officer/batches/{batch.batch_id}"

    return work


@dataclass
class Decided:
    batch: Batch | None
    refusal: Refusal | None = None


def approve(backends: Backends, batch_id: str) -> Decided:
    try:
        return Decided(backends.disbursement.approve(batch_id))
    except ApiProblem as problem:
        if problem.status not in REFUSED_STATUSES:
            raise
        return Decided(None, refusal_of(problem.type, problem.detail, problem.extra))


def reject(backends: Backends, batch_id: str, reason: str) -> Decided:
    try:
        return Decided(backends.disbursement.reject(batch_id, reason))
    except ApiProblem as problem:
        if problem.status not in (*REFUSED_STATUSES, 422):
            raise
        return Decided(None, refusal_of(problem.type, problem.detail, problem.extra))


def batch(backends: Backends, batch_id: str) -> Batch:
    return backends.disbursement.batch(batch_id)


def batches(backends: Backends) -> list[Batch]:
    return backends.disbursement.batches()


def payment_file(backends: Backends, batch_id: str) -> bytes:
    return backends.disbursement.payment_file(batch_id)
