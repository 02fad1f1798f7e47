"""One polled batch ingested set-based: the ledger, quarantine and findings are those of its events taken in
arrival order one at a time, and a poison event in the batch is dead-lettered without losing the others."""

from sqlalchemy import select
from sqlmodel import Session

from services.audit.db.ledger_reads import iter_chain
from services.audit.db.tables import FindingRow, QuarantinedEventRow, ReceivedEvent, inbox
from services.audit.domain.chain import verify
from services.audit.messaging.consumer import AuditConsumer
from services.audit.messaging.spec import CONSUMER, ledger_consumer_spec
from shared.kafka_clients import ensure_topics
from tests.audit.domain.factories import EU, UI, issued_event, outcome_event
from tests.audit.support import NO_BROKER, Record, audit_settings, encode, feed


class WatchedConsumer(AuditConsumer):
    """The audit consumer, noting each event it had to apply on its own (the batch failing as a whole)."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.one_by_one: list[str] = []

    def apply_one(self, message, event) -> None:  # type: ignore[no-untyped-def]
        self.one_by_one.append(event.id)
        super().apply_one(message, event)


def apply_as_one_batch(engine, events: list[dict], bootstrap: str = NO_BROKER,
                       prefix: str = "direct") -> WatchedConsumer:  # type: ignore[no-untyped-def]
    consumer = WatchedConsumer(engine, inbox, ledger_consumer_spec(audit_settings("unused")), bootstrap, prefix)
    consumer.apply_batch([Record(encode(e), offset=n) for n, e in enumerate(events)])
    consumer.dead_letters.close()
    return consumer


def mixed_batch() -> list[dict]:
    return [
        outcome_event("p1"),  # before its issue: waits, then is posted right after it
        issued_event("p2", fund=EU),
        issued_event("p1"),
        issued_event("p3"),
        issued_event("p2", fund=EU),  # the same event again
        outcome_event("p3", settled=False),  # its issue earlier in the same batch
        outcome_event("p2", fund=EU),
        issued_event("p4", amount=1500.0),  # malformed (a JSON number): quarantined with a finding
        outcome_event("p5"),  # its issue never comes: keeps waiting
        outcome_event("p3", event_id="ev-settled-p3-too"),  # p3 was closed by its failure already
        outcome_event("p6", amount="9.99"),  # before its issue, and for another amount
        issued_event("p6"),
    ]


def ledger(engine) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        chain = list(iter_chain(session))
    assert verify(chain).ok
    return [(e.fund, e.seq, e.event_id) for e in chain]


def quarantine(engine) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = conn.execute(select(QuarantinedEventRow.__table__).order_by(QuarantinedEventRow.id)).all()
    return [(r.event_id, r.reason, r.released_entry_id is not None) for r in rows]


def findings(engine, rule: str = "unpostable_event") -> list[tuple[str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    """The findings of one rule (the per-event rules also run in the ingest transaction)."""
    with engine.connect() as conn:
        return [(f.severity, tuple(f.payment_ids)) for f in conn.execute(select(FindingRow.__table__).where(
            FindingRow.rule == rule).order_by(FindingRow.id))]


def test_a_mixed_batch_posts_in_arrival_order_as_its_events_one_at_a_time_would(engine, tmp_path):
    consumer = apply_as_one_batch(engine, mixed_batch())
    assert consumer.one_by_one == []  # applied as one batch, not rescued message by message
    assert ledger(engine) == [
        (EU, 1, "ev-issued-p2"), (EU, 2, "ev-settled-p2"),
        (UI, 1, "ev-issued-p1"), (UI, 2, "ev-settled-p1"), (UI, 3, "ev-issued-p3"), (UI, 4, "ev-failed-p3"),
        (UI, 5, "ev-issued-p6")]
    assert quarantine(engine) == [("ev-settled-p1", "not_issued", True), ("ev-issued-p4", "invalid_amount", False),
                                  ("ev-settled-p5", "not_issued", False), ("ev-settled-p3-too", "already_closed", False),
                                  ("ev-settled-p6", "amount_mismatch", False)]
    assert findings(engine) == [("medium", ("p4",)), ("high", ("p6",))]
    with engine.connect() as conn:
        received = conn.execute(select(ReceivedEvent.__table__.c.event_id).order_by(ReceivedEvent.id)).scalars().all()
    assert received == list(dict.fromkeys(e["id"] for e in mixed_batch()))

    from shared.db import make_engine
    from shared.migrations import upgrade_service

    one_at_a_time_url = f"sqlite:///{tmp_path}/one-at-a-time.db"
    upgrade_service("audit", one_at_a_time_url)
    reference = make_engine(one_at_a_time_url)
    feed(reference, mixed_batch())
    with Session(engine) as a, Session(reference) as b:
        assert list(iter_chain(a)) == list(iter_chain(b))
    assert (quarantine(engine), findings(engine)) == (quarantine(reference), findings(reference))
    assert findings(engine, "fund_not_for_programme") == findings(reference, "fund_not_for_programme") == [
        ("high", ("p2",))]  # skill_upgrade paid by the employment fund: judged alone, in the ingest transaction
    reference.dispose()


def test_outcomes_waiting_from_earlier_batches_are_posted_before_those_of_this_batch(engine):
    apply_as_one_batch(engine, [outcome_event("p1", event_id="ev-failed-p1", settled=False)])
    apply_as_one_batch(engine, [outcome_event("p1"), issued_event("p1")])
    assert ledger(engine) == [(UI, 1, "ev-issued-p1"), (UI, 2, "ev-failed-p1")]
    assert quarantine(engine) == [("ev-failed-p1", "not_issued", True), ("ev-settled-p1", "already_closed", False)]


def test_a_poison_event_in_a_batch_is_dead_lettered_and_the_rest_applied(engine, broker, topic_prefix):
    ensure_topics(broker, topic_prefix)  # the dead-letter topic
    poison = {**issued_event("p9"), "type": "grants.fund.budget_set", "id": "ev-budget-without-fields"}
    events = [issued_event("p1"), poison, outcome_event("p1"), issued_event("p2", fund=EU)]
    consumer = apply_as_one_batch(engine, events, broker, topic_prefix)
    assert consumer.one_by_one == [e["id"] for e in events]  # the batch failed as a whole, then each alone
    assert ledger(engine) == [(EU, 1, "ev-issued-p2"), (UI, 1, "ev-issued-p1"), (UI, 2, "ev-settled-p1")]
    with engine.connect() as conn:
        outcomes = dict(conn.execute(select(inbox.c.event_id, inbox.c.outcome).where(inbox.c.consumer == CONSUMER)).all())
    assert outcomes == {"ev-issued-p1": "applied", "ev-budget-without-fields": "dead_lettered",
                        "ev-settled-p1": "applied", "ev-issued-p2": "applied"}
