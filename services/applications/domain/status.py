"""The claim status machine of contract §3; events may arrive late or twice, so moves only go forward."""

SUBMITTED, ELIGIBLE, REJECTED = "submitted", "eligible", "rejected"
IN_BATCH, PAYMENT_ISSUED, PAID, PAYMENT_FAILED = "in_batch", "payment_issued", "paid", "payment_failed"
WITHDRAWN = "withdrawn"  # by the applicant, before the claim was batched (issue 14): final
WITHDRAWABLE = (SUBMITTED, ELIGIBLE, REJECTED)

ALLOWED = {
    SUBMITTED: {ELIGIBLE, REJECTED},
    ELIGIBLE: {IN_BATCH, PAYMENT_ISSUED},
    IN_BATCH: {ELIGIBLE, PAYMENT_ISSUED},
    PAYMENT_ISSUED: {PAID, PAYMENT_FAILED},
    PAYMENT_FAILED: {ELIGIBLE, IN_BATCH, PAYMENT_ISSUED},
    REJECTED: set(),
    PAID: set(),
    WITHDRAWN: set(),
}
# A re-decision (bulk re-evaluation after a parameter is set, or an officer answering a review) may turn a
# rejection into an eligible decision, or confirm it; nothing else moves a claim out of rejected.
REDECIDABLE = {REJECTED: {ELIGIBLE, REJECTED}}


def can_move(current: str, new: str, *, redecision: bool = False) -> bool:
    return new in (REDECIDABLE if redecision else ALLOWED).get(current, set())
