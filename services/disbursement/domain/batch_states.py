"""Where a batch, a payment and a decided claim stand, and the moves between them (pure).

A decided claim (decisions.status) walks eligible -> in_batch -> payment_issued -> paid | payment_failed;
an item removed from a draft, or a rejected batch, sends it back to eligible, and a failed payment's
claim returns to eligible once its payee account is corrected (contract §3).
"""

# batches.status
DRAFT = "draft"
AWAITING_SECOND_APPROVAL = "awaiting_second_approval"
APPROVED = "approved"
REJECTED = "rejected"
BATCH_STATUSES = (DRAFT, AWAITING_SECOND_APPROVAL, APPROVED, REJECTED)
OPEN = (DRAFT, AWAITING_SECOND_APPROVAL)  # may still be approved or rejected

# decisions.status (the first two are written by deciding)
ELIGIBLE = "eligible"
IN_BATCH = "in_batch"
PAYMENT_ISSUED = "payment_issued"
PAID = "paid"
PAYMENT_FAILED = "payment_failed"
# the payee account changed after a failed payment: an officer must confirm it before it is batched again
PAYEE_UNCONFIRMED = "payee_unconfirmed"
REJECTED_DECISION = "rejected"  # a rejected decision's status (nothing is owed)
WITHDRAWN = "withdrawn"  # the applicant withdrew the claim before it was batched; its grant no longer counts

# payments.status: the vocabulary of bank_returns.PaymentState
ISSUED, SETTLED, FAILED = "issued", "settled", "failed"
CLAIM_STATUS_OF_PAYMENT = {ISSUED: PAYMENT_ISSUED, SETTLED: PAID, FAILED: PAYMENT_FAILED}

# batch_transitions.action: what an officer (or the bank) did to a batch
DRAFTED = "drafted"
ITEM_REMOVED = "item_removed"
APPROVAL_RECORDED = "approval_recorded"  # a first approval of a batch that needs two
APPROVED_ACTION = "approved"
REJECTED_ACTION = "rejected"
APPROVAL_REFUSED = "approval_refused"  # a checker refused (maker, limit, budget): recorded, status unchanged
