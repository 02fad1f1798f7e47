"""Migration 0003 fills the fact columns of events received before it, as received_row fills new ones."""

from datetime import UTC, date, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import select

import services.audit.db
from services.audit.db.tables import ReceivedEvent
from shared.db import make_engine
from shared.migrations import alembic_config, upgrade
from tests.audit.domain.factories import UI, issued_event

MIGRATIONS = Path(services.audit.db.__file__).parent / "migrations"
RECEIVED = ReceivedEvent.__table__


def test_events_received_before_the_migration_get_their_fact_columns(db_url):
    command.upgrade(alembic_config(MIGRATIONS, db_url), "0002")
    issued = issued_event("p1", issued_at="2023-11-01T20:30:00+00:00")  # 04:30 on 2 November in China
    malformed = issued_event("p2", event_id="ev-malformed", amount="not money")
    engine = make_engine(db_url)
    with engine.begin() as conn:  # the columns 0002 has, through the table (which knows how to write JSON)
        conn.execute(RECEIVED.insert(), [
            {"event_id": e["id"], "type": e["type"], "subject": e["subject"], "payment_id": e["data"]["payment_id"],
             "batch_id": "b1", "payload": e, "received_at": datetime.now(UTC)} for e in (issued, malformed)])
    upgrade(MIGRATIONS, db_url)
    with engine.connect() as conn:
        rows = {r.payment_id: r for r in conn.execute(select(RECEIVED))}
    engine.dispose()
    p1 = rows["p1"]
    assert (p1.fact, p1.fund, p1.amount_fen, p1.business_day, p1.occurred_at) == (
        "issued", UI, 150_000, date(2023, 11, 2), datetime(2023, 11, 1, 20, 30, tzinfo=UTC))
    assert (rows["p2"].fact, rows["p2"].fund, rows["p2"].amount_fen, rows["p2"].occurred_at) == (None, None, None, None)
