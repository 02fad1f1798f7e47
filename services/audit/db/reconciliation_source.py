"""Reconciliation's inputs read in one pass: approvals, events and ledger issues joined by payment id.

One UNION ALL ordered by payment id, grouped as it streams, so memory holds one payment at a time
(the database does the sort, hence one collation for every source). Each group becomes the
PaymentTrail the pure reconciliation classifies.
"""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from itertools import groupby

from sqlalchemy import JSON, BigInteger, String, cast, literal, null, select, union_all
from sqlalchemy.orm import Session

from services.audit.db.ledger_repo import ENTRIES, POSTINGS
from services.audit.db.received_repo import APPROVED, RECEIVED, read_fact
from services.audit.domain.events import IssuedPayment, PaymentOutcome
from services.audit.domain.reconciliation import PaymentTrail, business_date

APPROVAL, EVENT, POSTED = "a", "e", "l"


def trails(session: Session) -> Iterator[tuple[PaymentTrail, date | None]]:
    """Every payment id seen anywhere, as (trail, China date of its first issue or outcome event)."""
    for payment_id, rows in groupby(session.execute(_union().execution_options(yield_per=1000)),
                                    key=lambda r: r.payment_id):
        yield _trail(payment_id, list(rows))


def _union():  # type: ignore[no-untyped-def]
    no_text, no_amount, no_payload = cast(null(), String), cast(null(), BigInteger), cast(null(), JSON)
    events = select(RECEIVED.c.payment_id, literal(EVENT).label("source"), RECEIVED.c.batch_id,
                    RECEIVED.c.payload, no_text.label("fund"), no_amount.label("amount"), RECEIVED.c.id.label("n")
                    ).where(RECEIVED.c.payment_id.is_not(None))
    approvals = select(APPROVED.c.payment_id, literal(APPROVAL), APPROVED.c.batch_id, no_payload, no_text,
                       no_amount, cast(literal(0), BigInteger))
    issues = (select(ENTRIES.c.payment_id, literal(POSTED), no_text, no_payload, ENTRIES.c.fund, POSTINGS.c.debit_fen,
                     ENTRIES.c.seq)
              .join(POSTINGS, POSTINGS.c.entry_id == ENTRIES.c.entry_id)
              .where(ENTRIES.c.payment_id.is_not(None), POSTINGS.c.debit_fen > 0,
                     POSTINGS.c.account.like(POSTINGS.c.fund + ":expense:%")))
    both = union_all(events, approvals, issues).subquery()
    return select(both).order_by(both.c.payment_id, both.c.source, both.c.n)


def _trail(payment_id: str, rows: list) -> tuple[PaymentTrail, date | None]:
    t = PaymentTrail(payment_id, None)
    issued: list[IssuedPayment] = []
    outcomes: list[PaymentOutcome] = []
    for row in rows:
        if row.source == APPROVAL:
            t = replace(t, listed=True, batch_id=t.batch_id or row.batch_id)
        elif row.source == POSTED:
            t = replace(t, posted_fund=row.fund, posted_amount_fen=int(row.amount))
        else:
            fact = read_fact(row.payload)
            if isinstance(fact, IssuedPayment):
                issued.append(fact)
            elif isinstance(fact, PaymentOutcome):
                outcomes.append(fact)
    issued.sort(key=lambda p: (p.issued_at, p.event_id))
    if issued:
        first = issued[0]
        t = replace(t, issued_events=len(issued), batch_id=t.batch_id or first.batch_id, issued_fund=first.fund,
                    issued_amount_fen=first.amount_fen, issued_on=business_date(first.issued_at))
    for o in outcomes:  # in the order received, like reconciliation_trails.trails_from_facts
        t = replace(t, batch_id=t.batch_id or o.batch_id)
        if o.settled:
            t = replace(t, settlements=t.settlements + 1, settled_fund=o.fund, settled_amount_fen=o.amount_fen)
        else:
            t = replace(t, failed=True)
    seen = [business_date(p.issued_at) for p in issued] + [business_date(o.at) for o in outcomes]
    return t, min(seen) if seen else None
