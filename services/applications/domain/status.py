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
# The unbatching that answers a failed payment (the payee account corrected) names the failed batch.
PAYEE_CORRECTED = "payee_corrected"


def can_move(current: str, new: str, *, redecision: bool = False) -> bool:
    return new in (REDECIDABLE if redecision else ALLOWED).get(current, set())


def is_stale_batch_move(batch_id: str | None, payment_batch_id: str | None, reason: str | None = None) -> bool:
    """A batched or unbatched event of the batch whose payment the claim has already seen (payment_batch_id)
    is late: the claims and payments topics are not ordered relative to each other, and PAYMENT_FAILED ->
    IN_BATCH is allowed for a re-batch, so only the batch tells a late event from a new batch. The payee
    correction that releases a failed claim is of that batch by design and is not late."""
    return batch_id is not None and batch_id == payment_batch_id and reason != PAYEE_CORRECTED
