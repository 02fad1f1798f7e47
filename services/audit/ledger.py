"""The database-backed journal: InMemoryJournal's steps, in its order, inside the caller's transaction.

Lock the fund's head, skip an entry already posted (its id derives from the event id), draft against
the payment's earlier entries, link after the head, append. Everything is flushed into the caller's
transaction, so the consumer's dedup row, the entry, its postings and the head commit together.
"""

from sqlalchemy.orm import Session

from services.audit.db import ledger_repo
from services.audit.domain.chain import ChainEntry, link
from services.audit.domain.events import IssuedPayment, PaymentOutcome
from services.audit.domain.postings import entry_id_for, entry_kind, post_fact
from shared.logging import get_logger

log = get_logger("audit.ledger")


class PaymentEntriesView:
    """The posting rules' PaymentEntries over the database, read once per payment per transaction."""

    def __init__(self, session: Session):
        self.session = session
        self._by_payment: dict[str, list[ChainEntry]] = {}

    def has_entry(self, payment_id: str, entry_id: str) -> bool:
        return any(e.entry_id == entry_id for e in self._entries(payment_id))

    def _entries(self, payment_id: str) -> list[ChainEntry]:
        if payment_id not in self._by_payment:
            self._by_payment[payment_id] = ledger_repo.entries_for_payment(self.session, payment_id)
        return self._by_payment[payment_id]

    def issue_entry(self, payment_id: str) -> ChainEntry | None:
        return next((e for e in self._entries(payment_id) if entry_kind(e.postings) == "issue"), None)

    def closing_entry(self, payment_id: str) -> ChainEntry | None:
        return next((e for e in self._entries(payment_id) if entry_kind(e.postings) != "issue"), None)


def record(session: Session, fact: IssuedPayment | PaymentOutcome) -> ChainEntry | None:
    """Post the fact once; None when its entry is already in the ledger.

    Raises the posting rules' UnpostableEvent or PaymentNotIssued with nothing written to the ledger.
    """
    head = ledger_repo.lock_head(session, fact.fund)
    # Read under the lock: a concurrent twin of this event has committed or not started. An entry
    # belongs to its event's payment, so the payment's entries tell whether it is posted already.
    payment = PaymentEntriesView(session)
    if payment.has_entry(fact.payment_id, entry_id_for(fact.event_id)):
        return None
    draft = post_fact(fact, payment)
    if draft is None:  # only approvals draft nothing, and they never reach here
        return None
    entry = link(draft, head)
    ledger_repo.append(session, entry, head)
    log.info("audit.entry_posted", fund=entry.fund, seq=entry.seq, payment_id=entry.payment_id,
             kind=entry_kind(entry.postings))
    return entry
