"""Whether each claim of a draft can be rendered into the bank file (issue 12 point 1): asked at drafting,
so that one payee the pain.001 file cannot carry is refused by name there, never found after approval
with the whole batch's file blocked.

Claims filed since intake checks payee text (shared.bank_text) always pass; this catches those filed
before. The bodies come from the applications service (claim check, as the payment file's do); when it
cannot answer now, drafting goes on and the payment file's own check still stands.
"""


from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.domain.payment_file import payee_problem
from shared.consumer import RetryLater
from shared.logging import get_logger

log = get_logger("disbursement.payee_rendering")


def unrenderable_payees(source: ClaimSource | None, claim_ids: list[str]) -> dict[str, str]:
    """claim id -> why its payee cannot go into the bank file (naming the field, never the value)."""
    if source is None or not claim_ids:
        return {}
    try:
        bodies = source.bodies(claim_ids)
    except (RetryLater, LookupError) as exc:
        log.warning("disbursement.payee_check_skipped", count=len(claim_ids), reason=type(exc).__name__)
        return {}
    found = {claim_id: payee_problem(body.get("payee_account")) for claim_id, body in bodies.items()}
    return {claim_id: problem for claim_id, problem in found.items() if problem is not None}
