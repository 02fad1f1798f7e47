"""The consumer's handler on a real database: entries posted once, unpostable events quarantined."""

from sqlalchemy import select

from services.audit.db.tables import FindingRow, FundHeadRow, LedgerEntryRow, QuarantinedEventRow, ReceivedEvent, inbox
from services.audit.db.ledger_reads import iter_chain
from services.audit.domain.chain import verify
from services.audit.domain.journal import InMemoryJournal
from services.audit.messaging.spec import CONSUMER
from tests.audit.domain.factories import UI, issued_event, outcome_event
from tests.audit.support import entry_count, feed


def rows(engine, table):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(table)).all()


def chain(engine):  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    with Session(engine) as session:
        return list(iter_chain(session))


def test_the_stored_chain_is_the_one_the_in_memory_journal_builds_from_the_same_events(engine):
    events = [issued_event("p1"), issued_event("p2", amount="1500.00"), outcome_event("p1"),
              outcome_event("p2", settled=False)]
    feed(engine, events)
    reference = InMemoryJournal()
    for event in events:
        reference.record_event(event)
    assert chain(engine) == reference.entries
    assert verify(chain(engine)).head == verify(reference.entries).head


def test_an_event_delivered_again_posts_nothing_more(engine):
    feed(engine, [issued_event("p1"), outcome_event("p1")])
    before = chain(engine)
    feed(engine, [issued_event("p1"), outcome_event("p1"), issued_event("p1")])
    assert chain(engine) == before
    assert [(h.fund, h.seq, h.hash) for h in rows(engine, FundHeadRow.__table__)] == [(UI, 2, before[-1].hash)]


def test_an_outcome_before_its_issue_waits_in_quarantine_and_is_posted_when_the_issue_arrives(engine):
    feed(engine, [outcome_event("p1")])
    assert entry_count(engine) == 0
    (waiting,) = rows(engine, QuarantinedEventRow.__table__)
    assert (waiting.reason, waiting.payment_id, waiting.released_at) == ("not_issued", "p1", None)
    feed(engine, [issued_event("p1")])
    (released,) = rows(engine, QuarantinedEventRow.__table__)
    assert released.released_entry_id is not None and released.released_at is not None
    assert [e.event_id for e in chain(engine)] == ["ev-issued-p1", "ev-settled-p1"]
    assert verify(chain(engine)).ok


def test_a_settlement_for_another_amount_is_quarantined_with_a_finding_and_not_dead_lettered(engine):
    feed(engine, [issued_event("p1"), outcome_event("p1", amount="9999.00")])
    assert entry_count(engine) == 1
    (quarantined,) = rows(engine, QuarantinedEventRow.__table__)
    assert (quarantined.reason, quarantined.event_id) == ("amount_mismatch", "ev-settled-p1")
    (finding,) = rows(engine, FindingRow.__table__)
    assert (finding.rule, finding.severity, finding.payment_ids) == ("unpostable_event", "high", ["p1"])
    outcomes = {r.event_id: r.outcome for r in rows(engine, inbox) if r.consumer == CONSUMER}
    assert outcomes == {"ev-issued-p1": "applied", "ev-settled-p1": "applied"}


def test_a_malformed_payment_event_is_kept_quarantined_and_reported(engine):
    feed(engine, [issued_event("p1", amount=1500.0)])  # a JSON number: contract §2 wants a decimal string
    assert entry_count(engine) == 0
    assert [r.event_id for r in rows(engine, ReceivedEvent.__table__)] == ["ev-issued-p1"]
    (quarantined,) = rows(engine, QuarantinedEventRow.__table__)
    assert quarantined.reason == "invalid_amount"
    assert [(f.rule, f.severity) for f in rows(engine, FindingRow.__table__)] == [("unpostable_event", "medium")]


def test_a_second_issue_of_a_payment_under_another_event_id_is_quarantined_for_reconciliation(engine):
    feed(engine, [issued_event("p1"), issued_event("p1", event_id="ev-issued-p1-again")])
    assert [e.event_id for e in chain(engine)] == ["ev-issued-p1"]
    assert [(q.event_id, q.reason) for q in rows(engine, QuarantinedEventRow.__table__)] == [
        ("ev-issued-p1-again", "duplicate_issue")]
    assert rows(engine, FindingRow.__table__) == []  # reconciliation reports it as duplicate_issued_event


def test_a_failed_payment_is_reversed_by_a_new_entry_and_nothing_is_rewritten(engine):
    feed(engine, [issued_event("p1"), outcome_event("p1", settled=False)])
    issue, reversal = chain(engine)
    assert [(p.account, p.debit_fen, p.credit_fen) for p in reversal.postings] == [
        (p.account, p.credit_fen, p.debit_fen) for p in issue.postings]
    assert [r.seq for r in rows(engine, LedgerEntryRow.__table__)] == [1, 2]
