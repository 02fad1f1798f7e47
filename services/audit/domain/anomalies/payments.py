"""Preparing the issued-payment stream the rules read: one fact per payment, in issue order."""

from collections.abc import Iterable

from services.audit.domain.events import IssuedPayment, PaymentOutcome


def in_issue_order(payments: Iterable[IssuedPayment]) -> list[IssuedPayment]:
    """Sorted by (issued_at, payment_id), a payment repeated under another event id kept once.

    The order decides which of two duplicates is "the original"; the repeat itself is the
    reconciliation's duplicate-event break, not a second grant.
    """
    seen: set[str] = set()
    ordered = []
    for p in sorted(payments, key=lambda p: (p.issued_at, p.payment_id)):
        if p.payment_id not in seen:
            seen.add(p.payment_id)
            ordered.append(p)
    return ordered


def effective_payments(issued: Iterable[IssuedPayment], outcomes: Iterable[PaymentOutcome]) -> list[IssuedPayment]:
    """Issued payments less those the bank returned as failed (a failed payment grants nothing)."""
    failed = {o.payment_id for o in outcomes if not o.settled}
    return [p for p in in_issue_order(issued) if p.payment_id not in failed]
