"""The database-backed journal for one consumed batch: InMemoryJournal's steps, inside the caller's transaction.

Lock the heads of the batch's funds (in fund order, so twin consumers cannot deadlock), read the
earlier entries of the batch's payments once, then post fact after fact in memory exactly as
InMemoryJournal does (skip an entry already posted, its id derives from the event id; draft against
the payment's earlier entries; link after the head) and write the new entries, their postings and
each fund's head in one go. The consumer's dedup rows, the entries and the heads commit together.
"""

from collections.abc import Iterable

from sqlalchemy.orm import Session

from services.audit.db import ledger_repo
from services.audit.domain.chain import ChainEntry
from services.audit.domain.events import IssuedPayment, PaymentOutcome
from services.audit.domain.journal import InMemoryJournal


class LedgerBatch:
    def __init__(self, session: Session, funds: Iterable[str], payment_ids: Iterable[str]):
        self.session = session
        self.locked = {fund: ledger_repo.lock_head(session, fund) for fund in sorted(set(funds))}
        # Read under the locks: a concurrent twin of these events has committed or not started. An entry
        # belongs to its event's payment, so the payments' entries tell which events are posted already.
        self.journal = InMemoryJournal.resume(self.locked, ledger_repo.entries_for_payments(session, payment_ids))

    def record(self, fact: IssuedPayment | PaymentOutcome) -> ChainEntry | None:
        """Post the fact once (in memory until write); None when its entry is already in the ledger.

        Raises the posting rules' UnpostableEvent or PaymentNotIssued with nothing posted.
        """
        before = len(self.journal.entries)
        entry = self.journal.record(fact)
        if entry is None or len(self.journal.entries) == before:
            return None  # posted already: the journal returned the entry it knew (its id derives from the event id)
        if entry.fund not in self.locked:  # the batch locks every fund it posts to; never chain after a stale head
            raise RuntimeError(f"fund {entry.fund}: posted without its head locked")
        return entry

    @property
    def posted(self) -> list[ChainEntry]:
        return self.journal.entries

    def write(self) -> None:
        ledger_repo.append(self.session, self.journal.entries, self.locked)
