"""Account balances as of a moment: a pure aggregation over journal entries.

balance_fen is debit minus credit for every account. Expense accounts therefore show positive
spending, payable shows a negative amount owed to payees, and bank shows a negative amount paid out
(the ledger records outflows only; the fund's income is not booked here).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.audit.domain.accounts import fund_of
from services.audit.domain.postings import Posting


class DatedEntry(Protocol):
    @property
    def fund(self) -> str: ...
    @property
    def posted_at(self) -> datetime: ...
    @property
    def postings(self) -> Sequence[Posting]: ...


@dataclass(frozen=True, slots=True)
class AccountBalance:
    account: str
    fund: str
    debit_fen: int
    credit_fen: int

    @property
    def balance_fen(self) -> int:
        return self.debit_fen - self.credit_fen


def balances(entries: Iterable[DatedEntry], as_of: datetime | None = None,
             fund: str | None = None) -> list[AccountBalance]:
    """Totals per account of entries posted at or before as_of (all when None), sorted by account."""
    if as_of is not None and as_of.tzinfo is None:
        raise ValueError("as_of must carry a UTC offset")
    totals: dict[str, list[int]] = {}
    for entry in entries:
        if (fund is not None and entry.fund != fund) or (as_of is not None and entry.posted_at > as_of):
            continue
        for p in entry.postings:
            running = totals.setdefault(p.account, [0, 0])
            running[0] += p.debit_fen
            running[1] += p.credit_fen
    return [AccountBalance(account, fund_of(account), d, c) for account, (d, c) in sorted(totals.items())]
