"""Finance refusals as problem details: a stable type per refusal, figures in the body."""

from services.disbursement.domain.approval_policy import ApprovalRefused
from shared.errors import Conflict, DomainError, Forbidden


class MakerCannotApprove(Forbidden):
    slug, title = "maker-cannot-approve", "The maker of a batch may not approve it"


class CheckerAlreadyApproved(Forbidden):
    slug, title = "checker-already-approved", "A second, distinct checker must approve"


class NotTheMaker(Forbidden):
    slug, title = "not-the-maker", "Only the maker may change a draft"


class BatchState(Conflict):
    slug, title = "batch-state", "The batch is not in a state that allows this"


class BudgetExceeded(Conflict):
    slug, title = "budget-exceeded", "The fund's budget for the year would be exceeded"


class BudgetNotSet(Conflict):
    slug, title = "budget-not-set", "The fund has no budget for the year"


class DailyLimitExceeded(Conflict):
    slug, title = "daily-limit-exceeded", "The officer's daily approval limit would be exceeded"


class ClaimsNotBatchable(Conflict):
    slug, title = "claims-not-batchable", "Some claims cannot go into this batch"


class PaymentFileUnavailable(Conflict):
    slug, title = "payment-file-unavailable", "The payment file cannot be produced"


class ApplicationsUnavailable(DomainError):
    status, slug, title = 503, "applications-unavailable", "The applications service cannot answer"


_BY_CODE: dict[str, type[DomainError]] = {
    "maker_cannot_approve": MakerCannotApprove, "checker_already_approved": CheckerAlreadyApproved,
    "daily_limit_exceeded": DailyLimitExceeded, "budget_exceeded": BudgetExceeded, "budget_not_set": BudgetNotSet,
}


def refusal_problem(refusal: ApprovalRefused) -> DomainError:
    return _BY_CODE[refusal.code](refusal.message, **refusal.figures)
