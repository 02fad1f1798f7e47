"""Each fund's Merkle log takes every posted entry as its next leaf, in the entry's own transaction."""

from pathlib import Path

from alembic import command
from sqlalchemy import insert

import services.audit.db
from services.audit.db.ledger_tables import FundHeadRow, LedgerEntryRow, LedgerPostingRow
from shared.db import make_engine
from shared.migrations import alembic_config, upgrade
from tests.audit.domain.factories import EU, issued_event, outcome_event
from tests.audit.domain.ledger_builders import sample_entries
from tests.audit.merkle_support import nodes_of_the_chain, stored_nodes
from tests.audit.support import feed

MIGRATIONS = Path(services.audit.db.__file__).parent / "migrations"


def test_entries_posted_over_several_batches_build_the_log_of_their_chain(engine):
    feed(engine, [issued_event("p1"), issued_event("p2", fund=EU), outcome_event("p1")])
    feed(engine, [issued_event(f"q{i}") for i in range(6)] + [outcome_event("p2", fund=EU)])
    stored = stored_nodes(engine)
    assert stored == nodes_of_the_chain(engine)
    assert max(idx for fund, level, idx in stored if level == 0 and fund != EU) == 7  # 8 leaves: 1 issue, 1 settle, 6


def test_a_rejected_batch_leaves_no_leaf_behind(engine):
    feed(engine, [issued_event("p1")])
    feed(engine, [issued_event("p2", amount="not money")])  # quarantined: nothing posted
    assert stored_nodes(engine) == nodes_of_the_chain(engine) and len(stored_nodes(engine)) == 1


def test_the_migration_builds_the_log_of_entries_posted_before_it(db_url):
    command.upgrade(alembic_config(MIGRATIONS, db_url), "0003")
    entries = sample_entries(9)
    engine = make_engine(db_url)
    with engine.begin() as conn:  # the ledger as revision 0003 kept it: no log yet
        conn.execute(insert(LedgerEntryRow.__table__), [
            {"entry_id": e.entry_id, "fund": e.fund, "seq": e.seq, "event_id": e.event_id,
             "payment_id": e.payment_id, "prev_hash": e.prev_hash, "hash": e.hash, "posted_at": e.posted_at}
            for e in entries])
        conn.execute(insert(LedgerPostingRow.__table__), [
            {"entry_id": e.entry_id, "fund": e.fund, "account": p.account, "debit_fen": p.debit_fen,
             "credit_fen": p.credit_fen} for e in entries for p in e.postings])
        conn.execute(insert(FundHeadRow.__table__), [
            {"fund": e.fund, "seq": e.seq, "hash": e.hash} for e in {e.fund: e for e in entries}.values()])
    upgrade(MIGRATIONS, db_url)
    try:
        assert stored_nodes(engine) == nodes_of_the_chain(engine)
        assert sum(1 for _, level, _ in stored_nodes(engine) if level == 0) == len(entries)
        feed(engine, [issued_event("after-the-migration")])  # and the log goes on from there
        assert stored_nodes(engine) == nodes_of_the_chain(engine)
    finally:
        engine.dispose()
