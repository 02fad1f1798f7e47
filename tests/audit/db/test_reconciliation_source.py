"""The reconciliation's SQL aggregation per payment against the in-memory fold over the same facts and ledger.

The events go through the real consumer (so the ledger is the one the service keeps); the reference
is reconciliation_trails over the facts read back and the stored chain. Both backends.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from services.audit.db.ledger_reads import iter_chain
from services.audit.db.received_repo import facts
from services.audit.db.tables import LedgerEntryRow, LedgerPostingRow
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome
from services.audit.domain.journal import InMemoryJournal
from services.audit.domain.reconciliation import reconcile
from services.audit.domain.reconciliation_trails import controls_from_batches, trails_from_facts
from services.audit.service.reconciliation_report import reconciliation
from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED
from tests.audit.domain.factories import EU, T0, batch_event, issued, issued_event, outcome_event
from tests.audit.support import feed

UNSETTLED_AFTER = timedelta(days=5)
# 20:00 UTC is 04:00 the next China calendar day: five days after it by China days, six by UTC days
LATE_EVENING = datetime(2023, 10, 27, 20, 0, tzinfo=UTC)


def _events() -> list[dict]:
    approved = [issued(p, amount=amount) for p, amount in
                (("p1", "1200.00"), ("p2", "1500.00"), ("p3", "1300.00"), ("p4", "1500.00"), ("p5", "1500.00"),
                 ("p6", "1500.00"))]
    return [
        # p1: issued twice; the second received was issued first, for another amount, and is the one that counts
        issued_event("p1", amount="1500.00", issued_at=(T0 + timedelta(hours=2)).isoformat()),
        issued_event("p1", event_id="ev-p1-earlier", amount="1200.00", issued_at=(T0 + timedelta(hours=1)).isoformat()),
        outcome_event("p1", amount="1200.00"),
        outcome_event("p2"),  # p2: settled before its issue arrived, otherwise clean
        issued_event("p2"),
        # p3: issued twice at the same moment: the smaller event id counts
        issued_event("p3", event_id="ev-z-p3", amount="1500.00"),
        issued_event("p3", event_id="ev-a-p3", amount="1300.00"),
        issued_event("p4"),  # p4: settled twice, the last received for another amount
        outcome_event("p4", event_id="ev-settled-p4-1"),
        outcome_event("p4", event_id="ev-settled-p4-2", amount="1400.00"),
        issued_event("p5"),  # p5: no bank outcome yet
        issued_event("p6", issued_at=LATE_EVENING.isoformat()),  # p6: no outcome, issued late in the UTC evening
        batch_event("b1", approved),
        issued_event("p7"),  # p7: issued for b1, which does not list it
        issued_event("p8", batch_id="b2"), outcome_event("p8", batch_id="b2"),  # b2: never approved
        outcome_event("p9", batch_id="b3"),  # p9: settled, never approved or issued
    ]


def _ledger_only(engine) -> None:  # type: ignore[no-untyped-def]
    """p10: an issue entry in another fund's ledger with no event received for it."""
    entry = InMemoryJournal().record(issued("p10", fund=EU, event_id="ev-ledger-only-p10"))
    assert entry is not None
    with Session(engine) as session, session.begin():
        session.execute(LedgerEntryRow.__table__.insert(), [{
            "entry_id": entry.entry_id, "fund": entry.fund, "seq": entry.seq, "event_id": entry.event_id,
            "payment_id": entry.payment_id, "prev_hash": entry.prev_hash, "hash": entry.hash,
            "posted_at": entry.posted_at}])
        session.execute(LedgerPostingRow.__table__.insert(), [
            {"entry_id": entry.entry_id, "fund": entry.fund, "account": p.account, "debit_fen": p.debit_fen,
             "credit_fen": p.credit_fen} for p in entry.postings])


def _in_memory(session: Session, as_of: datetime):  # type: ignore[no-untyped-def]
    read = list(facts(session, (PAYMENT_ISSUED, PAYMENT_SETTLED, PAYMENT_FAILED, BATCH_APPROVED)))
    batches = [f for f in read if isinstance(f, BatchApproved)]
    trails = trails_from_facts(batches, [f for f in read if isinstance(f, IssuedPayment)], list(iter_chain(session)),
                               [f for f in read if isinstance(f, PaymentOutcome)])
    return reconcile(controls_from_batches(batches), trails, as_of=as_of, unsettled_after=UNSETTLED_AFTER)


@pytest.mark.parametrize("as_of", [datetime(2023, 11, 2, 1, 0, tzinfo=UTC), T0 + timedelta(days=40)],
                         ids=["p5-and-p6-not-yet-due", "p5-and-p6-overdue"])
def test_the_sql_aggregation_agrees_with_the_in_memory_fold(engine, as_of):
    feed(engine, _events())
    _ledger_only(engine)
    with Session(engine) as session:
        expected = _in_memory(session, as_of)
        report = reconciliation(session, first_day=None, last_day=None, fund=None, as_of=as_of,
                                unsettled_after=UNSETTLED_AFTER)

    def key(b):  # type: ignore[no-untyped-def]
        return b.kind, b.payment_id or "", b.batch_id or "", b.detail

    assert sorted(report.breaks, key=key) == sorted(expected.breaks, key=key)
    assert (report.batches, report.funds) == (expected.batches, expected.funds)
    assert len(report.breaks) > 8  # the scenario's payments do break, on every path


def test_the_first_issue_by_issued_at_counts_not_the_first_received(engine):
    feed(engine, _events())
    with Session(engine) as session:
        report = reconciliation(session, first_day=None, last_day=None, fund=None, as_of=T0 + timedelta(days=40),
                                unsettled_after=UNSETTLED_AFTER)
    p1 = sorted((b.kind, b.detail) for b in report.breaks if b.payment_id == "p1")
    assert p1 == [("amount_mismatch", "ledger shows 1500.00, issued 1200.00"),
                  ("duplicate_issued_event", "2 issued events with different ids")]


def test_a_payment_only_in_the_ledger_counts_as_posted_for_its_fund(engine):
    feed(engine, _events())
    _ledger_only(engine)
    with Session(engine) as session:
        report = reconciliation(session, first_day=None, last_day=None, fund=EU, as_of=T0 + timedelta(days=3),
                                unsettled_after=UNSETTLED_AFTER)
    (fund,) = report.funds
    assert (fund.fund, fund.posted_count, fund.posted_total_fen, fund.issued_count, fund.breaks) == (
        EU, 1, 150_000, 0, 0)


def test_an_unsettled_payment_is_due_by_china_calendar_days(engine):
    feed(engine, [e for e in _events() if e["data"].get("payment_id") in (None, "p6")])
    with Session(engine) as session:
        due = [b.payment_id for b in reconciliation(
            session, first_day=None, last_day=None, fund=None, as_of=datetime(2023, 11, 2, 1, 0, tzinfo=UTC),
            unsettled_after=UNSETTLED_AFTER).breaks if b.kind == "unsettled"]
        overdue = [b.payment_id for b in reconciliation(
            session, first_day=None, last_day=None, fund=None, as_of=datetime(2023, 11, 2, 16, 0, tzinfo=UTC),
            unsettled_after=UNSETTLED_AFTER).breaks if b.kind == "unsettled"]
    assert (due, overdue) == ([], ["p6"])

