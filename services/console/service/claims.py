"""The applicant's use cases: file a claim from a programme's form, list my claims, read one with its status
in plain words, withdraw it, ask for review of a rejection, correct the payee after a failed payment."""

from dataclasses import dataclass, field

from services.console.domain.claim_forms import claim_body, field_messages, payee_body, payee_messages
from services.console.domain.vocabulary import N_
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


def claim(backends: Backends, claim_id: str, language: str | None = None) -> Claim:
    return backends.applications.claim(claim_id, language)


@dataclass
class Asked:
    """What an applicant's request on their claim came to: the claim as it is now, or why not (a message id;
    for a payee form, the API's messages per field)."""

    claim: Claim | None = None
    refused: str | None = None
    field_errors: dict[str, list[str]] = field(default_factory=dict)


# The APIs' refusals in the console's words (the services' own details are English, for programs).
NOT_NOW = {"withdraw": N_("This claim can no longer be withdrawn: it is already in a payment batch or paid."),
           "review": N_("A review is asked for a rejected claim, one request at a time."),
           "payee": N_("The payee account is corrected only after a failed payment.")}
BAD_REASON = N_("Write the reason in at most 300 characters.")


def _asking(what: str, call) -> Asked:  # type: ignore[no-untyped-def]
    try:
        return Asked(claim=call())
    except ApiProblem as problem:
        if problem.status == 409:
            return Asked(refused=NOT_NOW[what])
        if problem.status == 422:
            return Asked(refused=BAD_REASON)
        raise


def withdraw(backends: Backends, claim_id: str, reason: str) -> Asked:
    return _asking("withdraw", lambda: backends.applications.withdraw(claim_id, reason or None))


def request_review(backends: Backends, claim_id: str, reason: str) -> Asked:
    return _asking("review", lambda: backends.applications.request_review(claim_id, reason))


def correct_payee(backends: Backends, claim_id: str, form: dict[str, str]) -> Asked:
    try:
        return Asked(claim=backends.applications.correct_payee(claim_id, payee_body(form)))
    except ApiProblem as problem:
        if problem.status == 409:
            return Asked(refused=NOT_NOW["payee"])
        if problem.status != 422:
            raise
        per_field, general = payee_messages(problem.errors)
        return Asked(refused=general[0] if general else None, field_errors=per_field)
