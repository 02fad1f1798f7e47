"""The second officer's review of a batch before approving (issue 14, point 1): per item the claimant's
and the payee's names, the account masked to its last four digits, the decision's clause, reasons and
computation, and flags for a payee whose name is not the claimant's or whose account changed after a
failed payment.

Disbursement holds no names or accounts (events carry refs only): they are read from the applications
service in one bulk call per batch (POST /internal/v1/claims/lookup, 500 claims a request, disbursement's
own service token with scope claims:read-body), the same claim check the payment file uses. One call per
batch, rather than a copy of the names here, keeps the applications service the only store of personal
data, and the review shows the account the bank file will pay. Every such read is recorded on the service's
access trail (shared.access_trail): a record per claim, in the request's transaction, copied to the audit by
event; field names only, never the data read.
"""

from typing import Any

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.access_log import trail
from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.domain.payee_review import masked_account, payee_flags
from shared.access_trail import BATCH_REVIEW
from shared.auth import Principal
from shared.consumer import RetryLater
from shared.logging import get_logger

log = get_logger("disbursement.batch_review")
REVIEW_FIELDS = ("claimant.name", "payee_account.account_name", "payee_account.account_number (last four)")


def with_review(session: Session, detail: dict[str, Any], *, source: ClaimSource, viewer: Principal) -> dict[str, Any]:
    """The batch detail with each item's review fields; `review.available` is false (and the items keep
    only what disbursement holds) while the applications service cannot answer."""
    items = detail["items"]
    claim_ids = [item["claim_id"] for item in items]
    decisions = batch_repo.item_decisions(session, claim_ids)
    failed_refs = payments_repo.failed_payee_refs(session, claim_ids)
    try:
        bodies = source.bodies(claim_ids) if claim_ids else {}
    except (RetryLater, LookupError) as exc:
        log.warning("disbursement.batch_review_unavailable", batch_id=detail["batch_id"], error=type(exc).__name__)
        bodies = None
    flagged = 0
    for item in items:
        decision = decisions.get(item["claim_id"])
        document = decision.document if decision is not None else {}
        item.update(clause=decision.clause if decision else None, reasons=document.get("reasons", []),
                    computation=document.get("computation", []))
        changed = bool(failed_refs.get(item["claim_id"], set()) - {item["payee_ref"]})
        body = (bodies or {}).get(item["claim_id"])
        if body is None:
            item.update(claimant_name=None, payee_name=None, payee_account_masked=None, payee_bank=None,
                        flags=payee_flags(None, None, changed))
            continue
        payee = body.get("payee_account", {})
        claimant_name = body.get("claimant", {}).get("name")
        item.update(claimant_name=claimant_name, payee_name=payee.get("account_name"),
                    payee_account_masked=masked_account(payee.get("account_number")), payee_bank=payee.get("bank"),
                    flags=payee_flags(claimant_name, payee.get("account_name"), changed))
        flagged += bool(item["flags"])
    if bodies is not None and claim_ids:
        trail.record_many(session, viewer, action=BATCH_REVIEW, purpose="batch_review", claim_ids=claim_ids,
                          batch_id=detail["batch_id"], fields=REVIEW_FIELDS)
    detail["review"] = {"available": bodies is not None, "flagged_items": flagged}
    return detail
