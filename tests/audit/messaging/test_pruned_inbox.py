"""The audit's inbox is pruned like every other (shared.retention), and that costs the ledger nothing: the
ledger, the Merkle log and the events as received are never pruned, and an event redelivered after its inbox
record is gone is still posted once, because received_events keeps each event id for ever (PostgreSQL)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from services.audit.db.tables import FindingRow, LedgerEntryRow, QuarantinedEventRow, ReceivedEvent, inbox, outbox
from shared.db import make_engine
from shared.migrations import upgrade_service
from shared.retention import RetentionPruner
from tests.audit.domain.factories import issued_event, outcome_event
from tests.audit.support import entry_count, feed, processed


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_an_event_redelivered_after_its_inbox_record_was_pruned_is_not_posted_again(pg_url):
    upgrade_service("audit", pg_url)
    engine = make_engine(pg_url)
    events = [issued_event("p1"), outcome_event("p1")]
    feed(engine, events)
    assert (entry_count(engine), processed(engine)) == (2, 2)

    later = datetime.now(UTC) + timedelta(days=60)  # both inbox records long past any retention
    pruner = RetentionPruner(engine, outbox, inbox, service="audit", outbox_retention=timedelta(hours=168),
                             inbox_retention=timedelta(hours=336), every_seconds=300.0, batch_rows=100,
                             clock=lambda: later)
    assert pruner.prune_once()["processed_events"] == 2
    assert processed(engine) == 0
    assert _count(engine, ReceivedEvent.__table__) == 2 and entry_count(engine) == 2  # evidence and ledger kept

    feed(engine, events)  # the same two events once more, the inbox no longer knowing them
    assert entry_count(engine) == 2
    # ...and taken for what they are, copies already kept: neither quarantined nor reported
    assert _count(engine, QuarantinedEventRow.__table__) == 0 and _count(engine, FindingRow.__table__) == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count(func.distinct(LedgerEntryRow.__table__.c.event_id)))).scalar_one() == 2
    engine.dispose()
