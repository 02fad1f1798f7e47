"""The officer's use cases on claims (issue 14's controls, through the public APIs): search claims, answer a
review by re-deciding, confirm payee accounts changed after a failed payment, re-decide in bulk the claims
rejected for a parameter an administrator has since set."""

from dataclasses import dataclass

from services.console.domain.vocabulary import N_
from services.console.service.api_models import Claim, Entitlement, Parameter, Reevaluation
from services.console.service.backends import ApiProblem, Backends

# The filters GET /v1/claims takes (docs/api.md §3), in the order the search form shows them.
SEARCH_FILTERS = ("status", "programme", "jurisdiction", "fund", "policy_id", "reason", "review", "filed_from",
                  "filed_to", "claimant_id_number")
PAGE_SIZE = 50


@dataclass
class Found:
    claims: list[Claim]
    next_cursor: str | None
    refused: list[str]  # the API's 422 messages: a filter it does not take as written


def search(backends: Backends, filters: dict[str, str], cursor: str | None) -> Found:
    wanted = {name: filters[name] for name in SEARCH_FILTERS if filters.get(name)}
    try:
        claims, next_cursor = backends.applications.search_claims(wanted, cursor, PAGE_SIZE)
    except ApiProblem as problem:
        if problem.status != 422:
            raise
        return Found([], None, [f"{e.get('field')}: {e.get('message')}" for e in problem.errors] or [problem.detail])
    return Found(claims, next_cursor, [])


@dataclass
class PendingPayee:
    entitlement: Entitlement
    claim: Claim | None  # None while the applications service cannot answer

    @property
    def corrected_at(self) -> str | None:
        """When the claimant sent the new account (the claim's history says so)."""
        if self.claim is None:
            return None
        changes = [h.at for h in self.claim.history if (h.detail or "").startswith("payee account corrected")]
        return changes[-1] if changes else None


def pending_payees(backends: Backends, language: str) -> list[PendingPayee]:
    """Claims whose payee account was changed after a failed payment and awaits an officer."""
    out = []
    for entitlement in backends.disbursement.entitlements(status="payee_unconfirmed"):
        try:
            claim = backends.applications.claim(entitlement.claim_id, language)
        except ApiProblem:
            claim = None
        out.append(PendingPayee(entitlement, claim))
    return out


NO_CHANGE_WAITING = N_("No payee change awaits confirmation on this claim (another officer may have confirmed it).")
NOT_REJECTED = N_("Only a rejected claim is decided again on review.")


def confirm_payee(backends: Backends, claim_id: str, note: str) -> str | None:
    """None once confirmed, else why not (a message id)."""
    return _unless_conflict(lambda: backends.disbursement.confirm_payee(claim_id, note or None), NO_CHANGE_WAITING)


def redecide(backends: Backends, claim_id: str, note: str) -> str | None:
    """None once decided again, else why not (a message id)."""
    return _unless_conflict(lambda: backends.disbursement.redecide(claim_id, note or None), NOT_REJECTED)


def _unless_conflict(call, refusal: str) -> str | None:  # type: ignore[no-untyped-def]
    """The API's 409 (nothing of the kind awaits) as the console's words; anything else is the error page's."""
    try:
        call()
    except ApiProblem as problem:
        if problem.status != 409:
            raise
        return refusal
    return None


def settable_parameters(backends: Backends) -> list[Parameter]:
    """The operator's parameters (those a re-evaluation follows), set ones first."""
    operator = [p for p in backends.disbursement.parameters() if p.source == "operator" and p.unit != "switch"]
    return sorted(operator, key=lambda p: (p.operator_value is None, p.id))


@dataclass
class Started:
    run: Reevaluation | None
    refused: str | None = None


NOT_SET = N_("This parameter has no value yet: an administrator sets it first, then the claims can be decided again.")
UNKNOWN_PARAMETER = N_("No such parameter.")


def start_reevaluation(backends: Backends, parameter_id: str) -> Started:
    try:
        return Started(backends.disbursement.start_reevaluation(parameter_id))
    except ApiProblem as problem:
        if problem.status == 409:
            return Started(None, NOT_SET)
        if problem.status in (404, 422):
            return Started(None, UNKNOWN_PARAMETER)
        raise


def reevaluation(backends: Backends, reevaluation_id: str) -> Reevaluation:
    return backends.disbursement.reevaluation(reevaluation_id)
