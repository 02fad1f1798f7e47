"""Many writers into one fund at once (PostgreSQL, row locks): the chain stays gapless and unforked, and its
Merkle log holds each entry once, as its next leaf."""

import threading

from sqlmodel import Session

from services.audit.service.ledger_verification import verify_ledger
from tests.audit.domain.factories import issued_event
from tests.audit.merkle_support import nodes_of_the_chain, stored_nodes
from tests.audit.support import entry_count, feed

WRITERS, EACH = 8, 25


def test_concurrent_consumers_append_one_gapless_chain_per_fund(pg_url):
    from shared.db import make_engine
    from shared.migrations import upgrade_service

    upgrade_service("audit", pg_url)
    engine = make_engine(pg_url)
    # Every writer also gets every other writer's first event: twins race on the same event id.
    shared = [issued_event(f"shared-{i}") for i in range(WRITERS)]
    batches = [[shared[w], *shared, *(issued_event(f"w{w}-{i}") for i in range(EACH))] for w in range(WRITERS)]
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(events: list[dict]) -> None:
        try:
            start.wait()
            feed(engine, events)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert entry_count(engine) == WRITERS * (EACH + 1)
    with Session(engine) as session:
        result = verify_ledger(session)
    log_matches_chain = stored_nodes(engine) == nodes_of_the_chain(engine)
    engine.dispose()
    assert log_matches_chain
    assert result.ok and result.entries == WRITERS * (EACH + 1)
    assert [h.seq for h in result.funds.values()] == [WRITERS * (EACH + 1)]
