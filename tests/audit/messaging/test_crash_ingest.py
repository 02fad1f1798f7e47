"""A consumer SIGKILLed at random points while it ingests: every event posted exactly once, chain intact.

Scale: AUDIT_CRASH_PAYMENTS payments (an issue and an outcome each, plus batch approvals) and
AUDIT_CRASH_KILLS kills; by default the issue's scale, 10,000 payments (about 20,440 events) and 10 kills:
about 90 s on PostgreSQL with batched consumption. AUDIT_CRASH_PAYMENTS=1000 gives a 20 s variant.
"""

import os
import random
import signal
import subprocess
import sys

from sqlalchemy import func, select
from sqlmodel import Session

from shared.db import make_engine
from services.audit.db.tables import LedgerEntryRow, LedgerPostingRow, QuarantinedEventRow, inbox
from services.audit.service.ledger_verification import verify_ledger
from shared.migrations import upgrade_service
from tests.audit.domain.factories import clean_stream, outcome_event
from tests.audit.support import all_processed, processed, produce, send_markers, wait_for

PAYMENTS = int(os.environ.get("AUDIT_CRASH_PAYMENTS", "10000"))
KILLS = int(os.environ.get("AUDIT_CRASH_KILLS", "10"))


def payment_stream(payments: int, seed: int) -> list[dict]:
    """Batches, their issues, and a bank outcome for each payment (one in nine failed)."""
    stream = clean_stream(payments, seed=seed)
    outcomes = [outcome_event(e["data"]["payment_id"], fund=e["data"]["fund"], amount=e["data"]["amount"],
                              batch_id=e["data"]["batch_id"], settled=i % 9 != 0) for i, e in enumerate(stream.issued)]
    return stream.batches + stream.issued + outcomes


def start_consumer(db_url: str, broker: str, prefix: str, group: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.audit.crashing_consumer", db_url, broker, prefix, group],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_consumer_killed_at_random_points_posts_every_event_exactly_once(broker, topic_prefix, pg_url):
    upgrade_service("audit", pg_url)
    engine = make_engine(pg_url)
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    events = payment_stream(PAYMENTS, seed)
    produce(broker, topic_prefix, events)
    markers = send_markers(broker, topic_prefix)
    group = f"{topic_prefix}.audit"
    kills = 0
    for round_ in range(KILLS):  # each round: run until a random number more events are in, then SIGKILL mid-stream
        done = processed(engine)
        target = done + rng.randint(1, max(1, 2 * (len(events) - done) // (KILLS - round_ + 1)))
        consumer = start_consumer(pg_url, broker, topic_prefix, group)
        wait_for(lambda: processed(engine) >= target or consumer.poll() is not None, timeout=60,
                 what=f"progress to {target} (seed {seed})")
        assert consumer.poll() is None, f"the consumer died by itself (seed {seed})"
        os.kill(consumer.pid, signal.SIGKILL)
        consumer.wait()
        kills += 1
    consumer = start_consumer(pg_url, broker, topic_prefix, group)
    try:
        wait_for(lambda: all_processed(engine, markers), timeout=120, what=f"the rest of the stream (seed {seed})")
    finally:
        consumer.kill()
        consumer.wait()

    postable = {e["id"] for e in events if e["type"] != "grants.batch.approved"}
    with Session(engine) as session:
        posted = session.execute(select(LedgerEntryRow.event_id)).scalars().all()
        postings = session.execute(select(func.count()).select_from(LedgerPostingRow)).scalar_one()
        inbox_rows = session.execute(select(inbox.c.event_id, inbox.c.outcome)).all()
        quarantined = session.execute(select(func.count()).select_from(QuarantinedEventRow)).scalar_one()
        result = verify_ledger(session)
    engine.dispose()
    assert kills == KILLS
    assert sorted(posted) == sorted(postable), f"seed {seed}"  # each event once: none lost, none twice
    assert postings == 2 * len(postable)
    assert quarantined == 0
    assert {event_id for event_id, _ in inbox_rows} == {e["id"] for e in events} | markers
    assert {outcome for _, outcome in inbox_rows} == {"applied"}
    assert result.ok and result.entries == len(postable), (result.first_break, seed)
