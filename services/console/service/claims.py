"""The applicant's use cases: file a claim from a programme's form, list my claims, read one."""

from dataclasses import dataclass, field

from services.console.domain.claim_forms import claim_body, field_messages
from services.console.service.api_models import Claim
from services.console.service.backends import ApiProblem, Backends


@dataclass
class Filing:
    claim: Claim | None = None
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    form_errors: list[str] = field(default_factory=list)


def file_claim(backends: Backends, programme: str, form: dict[str, str], idempotency_key: str) -> Filing:
    """The form's idempotency key (issued with the form) makes a double submit file one claim, not two."""
    try:
        return Filing(claim=backends.applications.file_claim(claim_body(programme, form), idempotency_key))
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        per_field, general = field_messages(problem.errors, programme)
        return Filing(field_errors=per_field, form_errors=general or ([] if per_field else [problem.detail]))


def my_claims(backends: Backends) -> list[Claim]:
    """Newest first: what an applicant looks for is what they filed last."""
    return list(reversed(backends.applications.my_claims()))


def claim(backends: Backends, claim_id: str) -> Claim:
    return backends.applications.claim(claim_id)
