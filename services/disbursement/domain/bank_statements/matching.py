"""A statement's debits against the payments of the fund whose account it is (pure).

A debit naming a payment (EndToEndId) matches it when the amount and currency agree; one naming a batch (MsgId)
matches the batch's payments when it equals their total. What is left is reported on either side: debits we
cannot tie to a payment (unknown reference, wrong amount, a payment booked twice), and payments the bank reports
settled (or issued) in the statement's period that no debit books.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from services.disbursement.domain.bank_statements.camt_form import Debit, Statement


@dataclass(frozen=True)
class PaymentFact:
    payment_id: str
    batch_id: str
    amount_fen: int
    currency: str
    status: str  # issued | settled | failed
    outcome_on: date | None  # the China day the bank's outcome was recorded
    issued_on: date


@dataclass(frozen=True)
class Unmatched:
    entry_no: int
    reference: str | None
    amount_fen: int
    reason: str
    booked_on: date | None = None
    end_to_end_id: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class Reconciled:
    matched: tuple[tuple[int, str], ...]  # (entry_no, payment_id)
    unmatched_entries: tuple[Unmatched, ...]
    unmatched_payments: tuple[PaymentFact, ...]


def reconcile(statement: Statement, payments: Mapping[str, PaymentFact]) -> Reconciled:
    by_batch: dict[str, list[PaymentFact]] = {}
    for payment in payments.values():
        by_batch.setdefault(payment.batch_id, []).append(payment)
    matched: list[tuple[int, str]] = []
    seen: set[str] = set()
    unmatched: list[Unmatched] = []
    for debit in statement.debits:
        found, reason = _match(debit, payments, by_batch, seen)
        if found:
            matched += [(debit.entry_no, p.payment_id) for p in found]
            seen.update(p.payment_id for p in found)
        else:
            unmatched.append(Unmatched(debit.entry_no, debit.end_to_end_id or debit.message_id, debit.amount_fen,
                                       reason, debit.booked_on, debit.end_to_end_id, debit.message_id))
    period = statement.period or _span(d.booked_on for d in statement.debits)
    missing = tuple(p for p in payments.values() if p.payment_id not in seen and p.status != "failed"
                    and _booked_in(p, period))
    return Reconciled(tuple(matched), tuple(unmatched), tuple(sorted(missing, key=lambda p: p.payment_id)))


def _match(debit: Debit, payments: Mapping[str, PaymentFact], by_batch: Mapping[str, list[PaymentFact]],
           seen: set[str]) -> tuple[list[PaymentFact], str]:
    if debit.end_to_end_id:
        payment = payments.get(debit.end_to_end_id)
        if payment is None:
            return [], "no payment of this account has this EndToEndId"
        if payment.payment_id in seen:
            return [], "the payment is booked by an earlier entry too"
        if (payment.amount_fen, payment.currency) != (debit.amount_fen, debit.currency):
            return [], "the amount booked differs from the payment's"
        if payment.status == "failed":
            return [], "the bank returned this payment as failed, yet the statement books it"
        return [payment], ""
    batch = by_batch.get(debit.message_id or "")
    if not batch:
        return [], "the entry names neither a payment (EndToEndId) nor one of our batches (MsgId)"
    if sum(p.amount_fen for p in batch if p.status != "failed") != debit.amount_fen:
        return [], "the amount booked differs from the batch's total"
    return [p for p in batch if p.status != "failed"], ""


def _span(days: Iterable[date | None]) -> tuple[date, date] | None:
    known = [d for d in days if d is not None]
    return (min(known), max(known)) if known else None


def _booked_in(payment: PaymentFact, period: tuple[date, date] | None) -> bool:
    """A payment the statement should book: settled in its period (or issued in it, when not yet settled)."""
    if period is None:
        return False
    day = payment.outcome_on if payment.status == "settled" and payment.outcome_on else payment.issued_on
    return period[0] <= day <= period[1]
