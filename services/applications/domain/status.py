"""The claim status machine of contract §3; events may arrive late or twice, so moves only go forward."""

SUBMITTED, ELIGIBLE, REJECTED = "submitted", "eligible", "rejected"
IN_BATCH, PAYMENT_ISSUED, PAID, PAYMENT_FAILED = "in_batch", "payment_issued", "paid", "payment_failed"

ALLOWED = {
    SUBMITTED: {ELIGIBLE, REJECTED},
    ELIGIBLE: {IN_BATCH, PAYMENT_ISSUED},
    IN_BATCH: {ELIGIBLE, PAYMENT_ISSUED},
    PAYMENT_ISSUED: {PAID, PAYMENT_FAILED},
    PAYMENT_FAILED: {ELIGIBLE, IN_BATCH, PAYMENT_ISSUED},
    REJECTED: set(),
    PAID: set(),
}


def can_move(current: str, new: str) -> bool:
    return new in ALLOWED.get(current, set())
