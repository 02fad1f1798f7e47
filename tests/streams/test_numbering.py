"""The per-producer sequence: gapless per topic however many relays number at once, kept by a row for good
(a re-send carries the same bytes), and in every published event as the CloudEvents `sequence` attribute."""

import json
import threading
from datetime import UTC, datetime

from sqlalchemy import select, update

from services.disbursement.db.tables import outbox
from shared.db import make_engine, unit_of_work
from shared.events import PAYMENT_ISSUED, CLAIM_DECIDED, new_event
from shared.outbox import enqueue_many
from shared.sequence import stamp
from shared.stream_repo import assign_sequences, mark_for_replay


def _stage(engine, count: int) -> None:  # type: ignore[no-untyped-def]
    events = [(new_event(PAYMENT_ISSUED if i % 3 else CLAIM_DECIDED, "grants/disbursement", f"s{i}", {"i": i}), f"k{i}")
              for i in range(count)]
    with unit_of_work(engine) as session:
        enqueue_many(session, outbox, events)


def _numbers(engine) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.topic_suffix, outbox.c.sequence).order_by(outbox.c.id)).all()
    found: dict[str, list[int]] = {}
    for suffix, n in rows:
        found.setdefault(suffix, []).append(n)
    return found


def test_four_relays_numbering_at_once_hand_out_each_number_once_in_outbox_order(finance_url):
    engine = make_engine(finance_url)
    _stage(engine, 3000)
    done = threading.Barrier(4)

    def relay() -> None:
        done.wait()
        while assign_sequences(engine, outbox, 100):
            pass

    threads = [threading.Thread(target=relay) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    numbers = _numbers(engine)
    assert numbers == {"payments.v1": list(range(1, 2001)), "claims.v1": list(range(1, 1001))}
    engine.dispose()


def test_a_replay_resends_a_topics_rows_from_a_number_with_the_same_numbers_and_bytes(finance_url):
    engine = make_engine(finance_url)
    _stage(engine, 30)
    assign_sequences(engine, outbox, 1000)
    with engine.begin() as conn:
        conn.execute(update(outbox).values(published_at=datetime.now(UTC)))
        before = dict(conn.execute(select(outbox.c.id, outbox.c.sequence)).all())
    with unit_of_work(engine) as session:
        last, first_kept = mark_for_replay(session, outbox, "payments.v1", 15)
    assert (last, first_kept) == (20, 15)
    assert assign_sequences(engine, outbox, 1000) == 0  # nothing renumbered
    with engine.connect() as conn:
        again = conn.execute(select(outbox.c.id, outbox.c.sequence, outbox.c.payload, outbox.c.topic_suffix)
                             .where(outbox.c.published_at.is_(None))).all()
        assert {r.id: r.sequence for r in again} == {i: n for i, n in before.items() if n >= 15 and
                                                     i in {r.id for r in again}}
        assert {(r.topic_suffix, r.sequence) for r in again} == {("payments.v1", n) for n in range(15, 21)}
    sent = json.loads(stamp(again[0].payload, again[0].sequence))
    assert sent["sequence"] == str(again[0].sequence).zfill(20) and sent["id"] == json.loads(again[0].payload)["id"]
    engine.dispose()


def test_a_consumer_reads_an_events_number_from_the_event_it_parsed_as_from_the_message_itself():
    from shared.events import parse_event
    from shared.gap_detection import sequence_in, sequence_of

    stamped = stamp(new_event(PAYMENT_ISSUED, "grants/disbursement", "s", {"i": 1}).to_bytes().decode(), 41).encode()
    unstamped = new_event(PAYMENT_ISSUED, "grants/disbursement", "s", {"i": 2}).to_bytes()
    assert sequence_in(parse_event(stamped)) == sequence_of(stamped) == ("grants/disbursement", 41)
    assert sequence_in(parse_event(unstamped)) is None and sequence_of(unstamped) is None
