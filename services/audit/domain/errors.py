"""Audit domain errors: branches of the one shared.errors tree (no web framework there either, so the
domain and the standalone `grants audit verify` import nothing web-side). They end in quarantine rather
than in a response; were one to reach a route, shared.web.problems would map it like any other."""

from shared.errors import DomainError


class AuditDomainError(DomainError):
    """A failure of the audit rules; subclasses fix status and a stable slug. `reason` is the code the
    quarantine records; event_id and payment_id name what failed."""

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
