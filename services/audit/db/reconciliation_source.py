"""Reconciliation's inputs aggregated per payment id in SQL, over the fact columns received_row stores.

One GROUP BY payment_id over a UNION ALL of the events' fact columns (never their payloads), the
approvals' payment lists and the ledger's issue postings; then, in the same statement, those rows
grouped again, by batch for clean payments and one by one for the others. A payment that is surely
clean (issued once, listed by its batch's approval for the fund it was issued from, posted, and
settled or not yet due, all for that fund and amount) only adds to its batch's totals, so those come
back as one CleanTally a batch; every other payment comes back as its PaymentTrail, in payment id
order, for the pure reconciliation to classify. "Surely clean" may only leave payments out: one it passes is a trail
classify_trail finds no break in, so the breaks are still the domain's alone.

Where a payment has several events of a kind, the trail takes what the in-memory fold would: the
first issue by (issued_at, event id), the last settlement and first outcome as received, the last
issue posting; those few rows are looked up by correlated subqueries the clean majority never runs.
"""

from collections.abc import Iterator
from datetime import date
from itertools import chain

from sqlalchemy import (BigInteger, Date, Integer, String, and_, case, cast, func, literal, null, or_, select, text,
                        union_all)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from services.audit.db.ledger_repo import ENTRIES, POSTINGS
from services.audit.db.received_repo import APPROVAL, APPROVED, FAILED, ISSUED, RECEIVED, SETTLED
from services.audit.domain.reconciliation import CleanTally, PaymentTrail

# the columns of every UNION ALL branch (a source leaves the others NULL); markers are 1 or NULL, for count()
_BRANCH = {"listed": Integer, "approved_batch": String, "issued": Integer, "issued_fund": String,
           "issued_fen": BigInteger, "issued_on": Date, "issued_batch": String, "settled": Integer,
           "settled_fund": String, "settled_fen": BigInteger, "failed": Integer, "outcome": Integer,
           "outcome_batch": String, "posted": Integer, "posted_fund": String, "posted_fen": BigInteger,
           "seen_on": Date}
_COUNTED = ("listed", "issued", "settled", "failed", "outcome", "posted")
_FOLDED = (*_COUNTED, "approved_batch", "seen_on")  # counted, or the least kept
_TRAIL_VALUES = tuple(name for name in _BRANCH if name != "approved_batch")  # per payment, beside its batch


def payment_trails(session: Session, *, not_overdue_from: date,
                   ) -> tuple[list[CleanTally], Iterator[tuple[PaymentTrail, date | None]]]:
    """(clean tallies by approved batch, every other payment id seen anywhere as (trail, China day first seen)).

    One statement, two GROUP BYs: per payment, then per "a batch's clean payments, or one other payment"
    (a group with no payment id is a tally); the tallies come first, then the trails by payment id.
    not_overdue_from: the first issue day whose unsettled payments are not yet breaks.
    """
    per_payment, first_approval = _per_payment().subquery("per_payment"), _first_approvals().subquery("fa")
    q = per_payment.c
    clean = and_(first_approval.c.fund == q.issued_fund, q.issued == 1, q.posted == 1, q.failed == 0,
                 q.posted_fund == q.issued_fund, q.posted_fen == q.issued_fen,
                 or_(and_(q.settled == 1, q.settled_fund == q.issued_fund, q.settled_fen == q.issued_fen),
                     and_(q.settled == 0, q.issued_on >= not_overdue_from)))
    judged = (select(per_payment, case((clean, null()), else_=q.payment_id).label("own_id"))
              .select_from(per_payment.outerjoin(first_approval, first_approval.c.batch_id == q.approved_batch))
              .subquery("judged"))
    j = judged.c
    grouped = (select(j.own_id.label("payment_id"), j.approved_batch, func.count().label("payments"),
                      _sum(j.issued_fen).label("total_fen"), _sum(j.settled).label("settled_payments"),
                      _sum(case((j.settled == 1, j.settled_fen), else_=0)).label("settled_total_fen"),
                      *(func.max(j[name]).label(name) for name in _TRAIL_VALUES))
               .group_by(j.own_id, j.approved_batch).subquery("grouped"))
    g, dialect = grouped.c, session.get_bind().dialect.name
    query = (select(*_detail_columns(g, dialect), g.payments, g.total_fen, g.settled_payments, g.settled_total_fen)
             .order_by(g.payment_id.nulls_first()))
    if dialect == "postgresql":  # compiling this plan's expressions takes JIT seconds at a million payments
        session.execute(text("SET LOCAL jit = off"))
    rows = session.execute(query.execution_options(yield_per=1000))
    clean_tallies: list[CleanTally] = []
    for row in rows:
        if row.payment_id is not None:
            return clean_tallies, _trails(chain([row], rows))
        clean_tallies.append(CleanTally(row.approved_batch, row.payments, row.total_fen, row.settled_payments,
                                        row.settled_total_fen))
    return clean_tallies, iter(())


def _sum(column: ColumnElement) -> ColumnElement:
    return cast(func.sum(column), BigInteger)  # PostgreSQL sums bigints as numeric


def _trails(rows) -> Iterator[tuple[PaymentTrail, date | None]]:  # type: ignore[no-untyped-def]
    for r in rows:
        yield PaymentTrail(
            r.payment_id, r.approved_batch or r.issued_batch or r.outcome_batch, listed=r.listed > 0,
            issued_events=r.issued, issued_fund=r.issued_fund, issued_amount_fen=r.issued_fen, issued_on=r.issued_on,
            posted_fund=r.posted_fund, posted_amount_fen=r.posted_fen, settlements=r.settled,
            settled_fund=r.settled_fund, settled_amount_fen=r.settled_fen, failed=r.failed > 0), r.seen_on


def _per_payment():  # type: ignore[no-untyped-def]
    """One row a payment id: how many of each fact, and the values of a kind seen once (max of one value).

    Each source fills only its own columns of a UNION ALL (NULL elsewhere), so the aggregates read plain
    columns: a quarter less work than splitting one narrow row per kind inside every aggregate.
    """
    c, e, q = RECEIVED.c, ENTRIES.c, POSTINGS.c

    def of(*kinds: str, value: ColumnElement | None = None) -> ColumnElement:
        return case((c.fact.in_(kinds), literal(1) if value is None else value))

    events = _branch(c.payment_id, issued=of(ISSUED), issued_fund=of(ISSUED, value=c.fund),
                     issued_fen=of(ISSUED, value=c.amount_fen), issued_on=of(ISSUED, value=c.business_day),
                     issued_batch=of(ISSUED, value=c.batch_id), settled=of(SETTLED),
                     settled_fund=of(SETTLED, value=c.fund), settled_fen=of(SETTLED, value=c.amount_fen),
                     failed=of(FAILED), outcome=of(SETTLED, FAILED),
                     outcome_batch=of(SETTLED, FAILED, value=c.batch_id),
                     seen_on=of(ISSUED, SETTLED, FAILED, value=c.business_day)).where(c.payment_id.is_not(None))
    approvals = _branch(APPROVED.c.payment_id, listed=literal(1), approved_batch=APPROVED.c.batch_id)
    # The expense test names the entry's fund (the postings' own, by their foreign key) so that it filters the
    # join, not the postings scan: PostgreSQL cannot estimate a LIKE against a column, and on its guess of a
    # few thousand issue postings it would join a million of them by nested loop.
    postings = (_branch(e.payment_id, posted=literal(1), posted_fund=e.fund, posted_fen=q.debit_fen)
                .join(POSTINGS, q.entry_id == e.entry_id)
                .where(e.payment_id.is_not(None), q.debit_fen > 0, q.account.like(e.fund + ":expense:%")))
    rows = union_all(events, approvals, postings).subquery("trail_rows")
    return select(rows.c.payment_id, *(func.count(rows.c[name]).label(name) for name in _COUNTED),
                  func.min(rows.c.approved_batch).label("approved_batch"), func.min(rows.c.seen_on).label("seen_on"),
                  *(func.max(rows.c[name]).label(name) for name in _BRANCH if name not in _FOLDED)
                  ).group_by(rows.c.payment_id)


def _branch(payment_id: ColumnElement, **values: ColumnElement):  # type: ignore[no-untyped-def]
    return select(payment_id.label("payment_id"), *(values[name].label(name) if name in values
                                                    else cast(null(), type_).label(name)
                                                    for name, type_ in _BRANCH.items()))


def _expense(postings) -> ColumnElement:  # type: ignore[no-untyped-def]
    return postings.c.account.like(postings.c.fund + ":expense:%")


def _first_approvals():  # type: ignore[no-untyped-def]
    """Each batch's first readable approval as received (a repeated approval does not count)."""
    c = RECEIVED.c
    first = select(func.min(c.id)).where(c.fact == APPROVAL).group_by(c.batch_id)
    return select(c.batch_id, c.fund).where(c.id.in_(first))


def _detail_columns(p, dialect: str) -> list[ColumnElement]:  # type: ignore[no-untyped-def]
    """The trail's columns, looked up row by row where several events of a kind make max() ambiguous."""
    r, e, q = RECEIVED.alias("r"), ENTRIES.alias("e"), POSTINGS.alias("q")
    bytewise = "C" if dialect == "postgresql" else "BINARY"  # the order of Python's str comparison

    def pick(count: ColumnElement, mine: ColumnElement, column: ColumnElement, kinds: tuple[str, ...],
             *order: ColumnElement) -> ColumnElement:
        lookup = (select(column).where(r.c.payment_id == p.payment_id, r.c.fact.in_(kinds))
                  .order_by(*order).limit(1).scalar_subquery())
        return case((count > 1, lookup), else_=mine)

    def first_issue(mine: ColumnElement, column: ColumnElement) -> ColumnElement:
        return pick(p.issued, mine, column, (ISSUED,), r.c.occurred_at, r.c.event_id.collate(bytewise))

    def last_settlement(mine: ColumnElement, column: ColumnElement) -> ColumnElement:
        return pick(p.settled, mine, column, (SETTLED,), r.c.id.desc())

    def last_posting(mine: ColumnElement, column: ColumnElement) -> ColumnElement:
        lookup = (select(column).select_from(e.join(q, q.c.entry_id == e.c.entry_id))
                  .where(e.c.payment_id == p.payment_id, q.c.debit_fen > 0, _expense(q))
                  .order_by(e.c.seq.desc(), q.c.id.desc()).limit(1).scalar_subquery())
        return case((p.posted > 1, lookup), else_=mine)

    return [p.payment_id, p.listed, p.approved_batch, p.issued, p.settled, p.failed, p.seen_on,
            first_issue(p.issued_fund, r.c.fund).label("issued_fund"),
            first_issue(p.issued_fen, r.c.amount_fen).label("issued_fen"),
            first_issue(p.issued_on, r.c.business_day).label("issued_on"),
            first_issue(p.issued_batch, r.c.batch_id).label("issued_batch"),
            last_settlement(p.settled_fund, r.c.fund).label("settled_fund"),
            last_settlement(p.settled_fen, r.c.amount_fen).label("settled_fen"),
            pick(p.outcome, p.outcome_batch, r.c.batch_id, (SETTLED, FAILED), r.c.id).label("outcome_batch"),
            last_posting(p.posted_fund, e.c.fund).label("posted_fund"),
            last_posting(p.posted_fen, q.c.debit_fen).label("posted_fen")]
