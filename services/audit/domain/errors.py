"""Audit domain errors: each carries a stable slug and status, like shared.web.problems.DomainError.

Kept free of FastAPI so the domain (and the standalone `grants audit verify`) import nothing web-side;
the service can map these with one handler by slug/status.
"""


class AuditDomainError(Exception):
    """A failure of the audit rules; subclasses fix status and a stable slug."""

    status = 422
    slug = "audit-error"
    title = "Audit rule violated"

    def __init__(self, detail: str, *, reason: str = "invalid", event_id: str | None = None,
                 payment_id: str | None = None):
        super().__init__(detail)
        self.detail, self.reason, self.event_id, self.payment_id = detail, reason, event_id, payment_id


class UnpostableEvent(AuditDomainError):
    """The event cannot become a ledger entry (dead-letter it, with `reason`).

    reason is one of: unknown_type, malformed, invalid_amount, invalid_currency, cross_fund,
    unbalanced, fund_mismatch, amount_mismatch, duplicate_issue, already_closed.
    """

    slug, title = "unpostable-event", "Event cannot be posted to the ledger"


class InvalidEvent(UnpostableEvent):
    """A field is missing or malformed: nothing downstream (ledger or anomaly rules) can use the event."""

    slug, title = "invalid-event", "Event data is missing or malformed"


class PaymentNotIssued(AuditDomainError):
    """A settlement or failure for a payment the ledger never saw issued.

    Distinct from UnpostableEvent on purpose: this is not a bad message but a reconciliation break
    (settled but never issued, or the issue event is still on its way), so it is routed there.
    """

    status, slug, title = 409, "payment-not-issued", "Payment was never issued"
