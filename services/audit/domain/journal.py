"""An in-memory journal: the posting rules and the chain put together, as the database-backed one must.

Used by tests and the demo, and as the reference for the service's repository: same steps, same
order (dedupe on entry_id, draft against the payment's earlier entries, link after the fund's head).
The service itself posts a consumed batch through one, resumed from the stored heads and the batch's
payments' earlier entries (services.audit.service.ledger_batch).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from services.audit.domain.chain import ChainEntry, FundHead, link
from services.audit.domain.events import EventFact, parse_event
from services.audit.domain.postings import entry_id_for, entry_kind, post_fact


class InMemoryJournal:
    def __init__(self) -> None:
        self.entries: list[ChainEntry] = []
        self.heads: dict[str, FundHead] = {}
        self._by_id: dict[str, ChainEntry] = {}
        self._issue: dict[str, ChainEntry] = {}
        self._closing: dict[str, ChainEntry] = {}

    @classmethod
    def resume(cls, heads: Mapping[str, FundHead], earlier: Iterable[ChainEntry]) -> "InMemoryJournal":
        """A journal continuing after these heads that knows these earlier entries; `entries` lists only new ones."""
        journal = cls()
        journal.heads.update(heads)
        for entry in earlier:
            journal._index(entry)
        return journal

    def issue_entry(self, payment_id: str) -> ChainEntry | None:
        return self._issue.get(payment_id)

    def closing_entry(self, payment_id: str) -> ChainEntry | None:
        return self._closing.get(payment_id)

    def record_event(self, event: Mapping[str, Any]) -> ChainEntry | None:
        return self.record(parse_event(event))

    def record(self, fact: EventFact) -> ChainEntry | None:
        """Post a fact once: a replay returns the entry already recorded; batch approvals post nothing."""
        existing = self._by_id.get(entry_id_for(fact.event_id))
        if existing is not None:
            return existing
        draft = post_fact(fact, self)
        if draft is None:
            return None
        entry = link(draft, self.heads.get(draft.fund))
        self.entries.append(entry)
        self.heads[entry.fund] = FundHead(entry.seq, entry.hash)
        self._index(entry)
        return entry

    def _index(self, entry: ChainEntry) -> None:
        self._by_id[entry.entry_id] = entry
        index = self._issue if entry_kind(entry.postings) == "issue" else self._closing
        index[entry.payment_id or ""] = entry
