"""Posting rules: one event becomes one balanced, single-fund journal entry draft.

grants.payment.issued   Dr <fund>:expense:<programme>  Cr <fund>:payable
grants.payment.settled  Dr <fund>:payable              Cr <fund>:bank
grants.payment.failed   the issue entry reversed (each posting's debit and credit swapped)

The entry id is uuid5 of the event id, so a redelivered event maps to the same entry and a unique
key on entry_id gives exactly-once effect. Corrections are new reversing entries, never updates.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.money import format_fen
from services.audit.domain.accounts import EXPENSE, bank_account, belongs_to, expense_account, kind_of, payable_account
from services.audit.domain.errors import PaymentNotIssued, UnpostableEvent
from services.audit.domain.events import BatchApproved, EventFact, IssuedPayment, PaymentOutcome, parse_event

ENTRY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:grants:audit:ledger-entry")


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    debit_fen: int
    credit_fen: int


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """A journal entry before it is chained (seq and hashes are added by chain.link)."""

    entry_id: str
    fund: str
    event_id: str
    payment_id: str | None
    postings: tuple[Posting, ...]
    posted_at: datetime


class LedgerEntry(Protocol):
    """What posting rules read back from the ledger: an EntryDraft or a chain.ChainEntry."""

    @property
    def event_id(self) -> str: ...
    @property
    def fund(self) -> str: ...
    @property
    def payment_id(self) -> str | None: ...
    @property
    def postings(self) -> Sequence[Posting]: ...


class PaymentEntries(Protocol):
    """The ledger's entries for one payment (the lead backs this with an indexed query)."""

    def issue_entry(self, payment_id: str) -> LedgerEntry | None: ...

    def closing_entry(self, payment_id: str) -> LedgerEntry | None:
        """The settlement or reversal already posted for the payment, if any."""
        ...


def entry_id_for(event_id: str) -> str:
    return str(uuid.uuid5(ENTRY_NAMESPACE, event_id))


def entry_kind(postings: Sequence[Posting]) -> str:
    """Which of "issue", "reversal" or "settlement": derived from the postings, not stored beside them."""
    for p in postings:
        if kind_of(p.account) == EXPENSE:
            return "issue" if p.debit_fen else "reversal"
    return "settlement"


def entry_amount_fen(postings: Sequence[Posting]) -> int:
    return sum(p.debit_fen for p in postings)


def check_entry(fund: str, postings: Sequence[Posting]) -> None:
    """Raise UnpostableEvent unless the postings are one-sided, positive, in the fund, and balance."""
    if not postings:
        raise UnpostableEvent("an entry needs postings", reason="unbalanced")
    for p in postings:
        if not belongs_to(p.account, fund):
            raise UnpostableEvent(f"posting to {p.account} is outside fund {fund}", reason="cross_fund")
        amounts = (p.debit_fen, p.credit_fen)
        if any(not isinstance(a, int) or isinstance(a, bool) or a < 0 for a in amounts) or (
                (p.debit_fen > 0) == (p.credit_fen > 0)):
            raise UnpostableEvent(f"posting to {p.account} must be a positive debit or credit in fen",
                                  reason="unbalanced")
    debits, credits = sum(p.debit_fen for p in postings), sum(p.credit_fen for p in postings)
    if debits != credits:
        raise UnpostableEvent(f"debits {format_fen(debits)} != credits {format_fen(credits)}", reason="unbalanced")


def post_event(event: Mapping[str, Any], ledger: PaymentEntries) -> EntryDraft | None:
    """Draft the entry for a CloudEvents dict; None for grants.batch.approved (it moves no money)."""
    return post_fact(parse_event(event), ledger)


def post_fact(fact: EventFact, ledger: PaymentEntries) -> EntryDraft | None:
    """Draft the entry for an already parsed fact. Raises UnpostableEvent or PaymentNotIssued."""
    if isinstance(fact, BatchApproved):
        return None
    if isinstance(fact, IssuedPayment):
        return _issue(fact, ledger)
    return _close(fact, ledger)


def _issue(fact: IssuedPayment, ledger: PaymentEntries) -> EntryDraft:
    earlier = ledger.issue_entry(fact.payment_id)
    if earlier is not None and earlier.event_id != fact.event_id:
        raise _refuse(fact, f"payment {fact.payment_id} was already issued by event {earlier.event_id}",
                      "duplicate_issue")
    postings = (Posting(expense_account(fact.fund, fact.programme), fact.amount_fen, 0),
                Posting(payable_account(fact.fund), 0, fact.amount_fen))
    return _draft(fact.event_id, fact.fund, fact.payment_id, postings, fact.issued_at)


def _close(fact: PaymentOutcome, ledger: PaymentEntries) -> EntryDraft:
    issue = ledger.issue_entry(fact.payment_id)
    if issue is None:
        raise PaymentNotIssued(f"{'settlement' if fact.settled else 'failure'} for payment {fact.payment_id}, "
                               "which the ledger never saw issued", reason="not_issued",
                               event_id=fact.event_id, payment_id=fact.payment_id)
    closing = ledger.closing_entry(fact.payment_id)
    if closing is not None and closing.event_id != fact.event_id:
        raise _refuse(fact, f"payment {fact.payment_id} was already closed by event {closing.event_id}",
                      "already_closed")
    if fact.fund != issue.fund:
        raise _refuse(fact, f"outcome names fund {fact.fund}, the payment was issued from {issue.fund}",
                      "fund_mismatch")
    issued_fen = entry_amount_fen(issue.postings)
    if fact.amount_fen != issued_fen:
        raise _refuse(fact, f"outcome amount {format_fen(fact.amount_fen)} != issued {format_fen(issued_fen)}",
                      "amount_mismatch")
    if fact.settled:
        postings = (Posting(payable_account(fact.fund), issued_fen, 0), Posting(bank_account(fact.fund), 0, issued_fen))
    else:
        postings = tuple(Posting(p.account, p.credit_fen, p.debit_fen) for p in issue.postings)
    return _draft(fact.event_id, fact.fund, fact.payment_id, postings, fact.at)


def _draft(event_id: str, fund: str, payment_id: str, postings: tuple[Posting, ...], at: datetime) -> EntryDraft:
    try:
        check_entry(fund, postings)
    except UnpostableEvent as exc:
        exc.event_id, exc.payment_id = event_id, payment_id
        raise
    return EntryDraft(entry_id_for(event_id), fund, event_id, payment_id, postings, at)


def _refuse(fact: IssuedPayment | PaymentOutcome, detail: str, reason: str) -> UnpostableEvent:
    return UnpostableEvent(f"event {fact.event_id}: {detail}", reason=reason,
                           event_id=fact.event_id, payment_id=fact.payment_id)
