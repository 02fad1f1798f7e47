from datetime import datetime, timedelta

import pytest

from services.audit.domain.errors import AuditDomainError
from services.audit.domain.events import parse_event
from services.audit.domain.journal import InMemoryJournal
from services.audit.domain.reconciliation import (BatchControl, PaymentTrail, not_overdue_from,
                                                  reconcile)
from services.audit.domain.reconciliation_trails import controls_from_batches, trails_from_facts
from shared.china_time import business_day
from tests.audit.domain.factories import T0, clean_stream, outcome_event

AS_OF = T0 + timedelta(days=40)


def run(issued_events, batch_events, outcome_events, as_of=AS_OF):
    """What the audit service would see: post what it can, then reconcile everything received."""
    journal = InMemoryJournal()
    for event in [*issued_events, *outcome_events]:
        try:
            journal.record_event(event)
        except AuditDomainError:
            pass  # dead-lettered or routed to reconciliation; the facts below still carry it
    issued = [parse_event(e) for e in issued_events]
    batches = [parse_event(e) for e in batch_events]
    outcomes = [parse_event(e) for e in outcome_events]
    trails = trails_from_facts(batches, issued, journal.entries, outcomes)  # type: ignore[arg-type]
    return reconcile(controls_from_batches(batches), trails, as_of=as_of)  # type: ignore[arg-type]


def settlements(issued_events, failed=()):
    return [outcome_event(e["data"]["payment_id"], settled=e["data"]["payment_id"] not in failed,
                          fund=e["data"]["fund"], amount=e["data"]["amount"], batch_id=e["data"]["batch_id"],
                          at=datetime.fromisoformat(e["data"]["issued_at"]) + timedelta(days=1))
            for e in issued_events]


def test_a_clean_run_has_no_breaks_and_agrees_at_every_stage():
    stream = clean_stream(300)
    report = run(stream.issued, stream.batches, settlements(stream.issued))
    assert report.breaks == []
    for row in report.batches + report.funds:
        assert row.approved_count == row.issued_count == row.posted_count == row.settled_count
        assert row.approved_total_fen == row.issued_total_fen == row.posted_total_fen == row.settled_total_fen


def test_a_dropped_event_a_duplicated_event_and_a_failed_settlement_are_exactly_three_breaks():
    stream = clean_stream(300)
    dropped, duplicated, failing = stream.issued[10], stream.issued[20], stream.issued[30]
    again = {**duplicated, "id": duplicated["id"] + "-again"}
    received = [e for e in stream.issued if e is not dropped] + [again]
    outcomes = settlements(stream.issued, failed={failing["data"]["payment_id"]})
    report = run(received, stream.batches, outcomes)
    assert sorted((b.kind, b.payment_id) for b in report.breaks) == sorted([
        ("missing_issued_event", dropped["data"]["payment_id"]),
        ("duplicate_issued_event", duplicated["data"]["payment_id"]),
        ("settlement_failed", failing["data"]["payment_id"]),
    ])
    short_batch = next(r for r in report.batches if r.batch_id == dropped["data"]["batch_id"])
    assert short_batch.issued_count == short_batch.approved_count - 1
    assert sum(r.breaks for r in report.funds) == 3 and sum(r.failed_count for r in report.funds) == 1


def trail(**kw):
    base = dict(payment_id="p1", batch_id="b1", listed=True, issued_events=1, issued_fund="f", issued_amount_fen=100,
                issued_on=AS_OF.date(), posted_fund="f", posted_amount_fen=100, settlements=1, settled_fund="f",
                settled_amount_fen=100)
    base.update(kw)
    return PaymentTrail(**base)


CONTROL = BatchControl("b1", "f", 1, 100, 1)


@pytest.mark.parametrize("row, kinds", [
    (trail(), []),
    (trail(issued_events=0, issued_fund=None, issued_amount_fen=None, posted_fund=None, posted_amount_fen=None,
           listed=False, batch_id=None), ["settled_not_issued"]),
    (trail(settlements=0, settled_fund=None, settled_amount_fen=None, issued_on=AS_OF.date() - timedelta(days=6)),
     ["unsettled"]),
    (trail(settlements=0, settled_fund=None, settled_amount_fen=None, issued_on=AS_OF.date() - timedelta(days=5)), []),
    (trail(posted_fund=None, posted_amount_fen=None), ["not_posted"]),
    (trail(settled_amount_fen=90), ["amount_mismatch"]),
    (trail(issued_fund="g", posted_fund="g", settled_fund="g"), ["wrong_fund"]),
    (trail(settlements=2), ["duplicate_settlement"]),
    (trail(failed=True), ["settled_and_failed"]),
])
def test_each_trail_is_classified_once_per_cause(row, kinds):
    report = reconcile([CONTROL], [row], as_of=AS_OF)
    assert [b.kind for b in report.breaks if b.payment_id] == kinds


def test_issued_payment_missing_from_its_approval_listing_is_one_break_not_a_totals_break_too():
    report = reconcile([CONTROL], [trail(), trail(payment_id="p2", listed=False)], as_of=AS_OF)
    assert [(b.kind, b.payment_id) for b in report.breaks] == [("issued_not_approved", "p2")]


def test_a_stray_settlement_naming_an_unknown_batch_is_one_break():
    row = trail(issued_events=0, issued_fund=None, issued_amount_fen=None, posted_fund=None, posted_amount_fen=None,
                listed=False, batch_id="b-unknown")
    assert [b.kind for b in reconcile([], [row], as_of=AS_OF).breaks] == ["settled_not_issued"]


def test_a_batch_whose_approval_never_arrived_is_one_break():
    report = reconcile([], [trail(listed=False), trail(payment_id="p2", listed=False)], as_of=AS_OF)
    assert [(b.kind, b.batch_id, b.payment_id) for b in report.breaks] == [("missing_batch_approval", "b1", None)]


def test_control_totals_disagreeing_with_complete_issued_events_is_a_batch_break():
    report = reconcile([BatchControl("b1", "f", 1, 150, 1)], [trail()], as_of=AS_OF)
    assert [(b.kind, b.batch_id) for b in report.breaks] == [("control_totals_mismatch", "b1")]
    assert report.batches[0].break_kinds == {"control_totals_mismatch"}


def test_reconcile_consumes_trails_as_a_stream():
    def rows():
        for i in range(10_000):
            yield trail(payment_id=f"p{i}", listed=i == 0)
    report = reconcile([BatchControl("b1", "f", 10_000, 1_000_000, 1)], rows(), as_of=AS_OF)
    assert report.funds[0].issued_count == 10_000 and {b.kind for b in report.breaks} == {"issued_not_approved",
                                                                                            "control_totals_mismatch"}


@pytest.mark.parametrize("unsettled_after", [timedelta(days=5), timedelta(days=5, hours=3), timedelta(0),
                                             timedelta(days=1) - timedelta(microseconds=1)])
def test_not_overdue_from_is_the_first_issue_day_within_unsettled_after_china_days(unsettled_after):
    for as_of in (T0, T0 + timedelta(hours=16), T0 + timedelta(days=9, minutes=1)):
        today = business_day(as_of)
        for issued_on in (today - timedelta(days=n) for n in range(8)):
            assert (issued_on < not_overdue_from(as_of, unsettled_after)) == (today - issued_on > unsettled_after)
