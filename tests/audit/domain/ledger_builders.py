"""Build chained ledgers from event streams for chain, export and balance tests."""

from datetime import timedelta

from services.audit.domain.chain import ChainEntry
from services.audit.domain.journal import InMemoryJournal
from tests.audit.domain.factories import EU, T0, UI, issued_event, outcome_event


def sample_journal(payments: int = 6) -> InMemoryJournal:
    """Issues in two funds, interleaved, half settled, one failed (every entry kind, both chains)."""
    journal = InMemoryJournal()
    for i in range(payments):
        fund, programme = (UI, "skill_upgrade") if i % 2 else (EU, "hiring")
        at = T0 + timedelta(hours=i)
        journal.record_event(issued_event(f"p{i}", fund=fund, programme=programme, amount=f"{1000 + i}.00",
                                          issued_at=at.isoformat()))
        if i % 2 == 0:
            journal.record_event(outcome_event(f"p{i}", settled=i != 2, fund=fund, amount=f"{1000 + i}.00",
                                               at=at + timedelta(days=1)))
    return journal


def sample_entries(payments: int = 6) -> list[ChainEntry]:
    return sample_journal(payments).entries
