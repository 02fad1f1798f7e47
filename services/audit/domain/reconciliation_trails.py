"""Reconciliation inputs built in memory from event facts and ledger entries.

For tests, the demo and small ledgers. At scale the service builds the same rows with one SQL full
outer join by payment_id (the field comments on PaymentTrail say which table feeds which column).
"""

from collections.abc import Iterable
from dataclasses import replace

from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome
from services.audit.domain.postings import LedgerEntry, entry_amount_fen, entry_kind
from services.audit.domain.reconciliation import BatchControl, PaymentTrail
from shared.china_time import business_day


def controls_from_batches(batches: Iterable[BatchApproved]) -> list[BatchControl]:
    return [BatchControl(b.batch_id, b.fund, b.count, b.total_fen, len(b.payment_ids)) for b in batches]


def trails_from_facts(batches: Iterable[BatchApproved], issued: Iterable[IssuedPayment],
                      entries: Iterable[LedgerEntry], outcomes: Iterable[PaymentOutcome]) -> list[PaymentTrail]:
    """One trail per payment id seen anywhere; events are assumed already deduplicated on event id."""
    trails: dict[str, PaymentTrail] = {}

    def trail(payment_id: str, batch_id: str | None) -> PaymentTrail:
        return trails.setdefault(payment_id, PaymentTrail(payment_id, batch_id))

    for b in batches:
        for payment_id in b.payment_ids:
            trails[payment_id] = replace(trail(payment_id, b.batch_id), listed=True)
    for p in sorted(issued, key=lambda p: (p.issued_at, p.event_id)):
        t = trail(p.payment_id, p.batch_id)
        first = t.issued_events == 0
        trails[p.payment_id] = replace(
            t, issued_events=t.issued_events + 1, batch_id=t.batch_id or p.batch_id,
            issued_fund=p.fund if first else t.issued_fund,
            issued_amount_fen=p.amount_fen if first else t.issued_amount_fen,
            issued_on=business_day(p.issued_at) if first else t.issued_on)
    for e in entries:
        if e.payment_id is not None and entry_kind(e.postings) == "issue":
            trails[e.payment_id] = replace(trail(e.payment_id, None), posted_fund=e.fund,
                                           posted_amount_fen=entry_amount_fen(e.postings))
    for o in outcomes:
        t = trail(o.payment_id, o.batch_id)
        if o.settled:
            trails[o.payment_id] = replace(t, settlements=t.settlements + 1, settled_fund=o.fund,
                                           settled_amount_fen=o.amount_fen, batch_id=t.batch_id or o.batch_id)
        else:
            trails[o.payment_id] = replace(t, failed=True, batch_id=t.batch_id or o.batch_id)
    return list(trails.values())
