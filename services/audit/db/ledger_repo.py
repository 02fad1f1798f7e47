"""Writes to the ledger, and the per-payment reads the posting rules need (all under the funds' locks)."""

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.audit.db import merkle_repo
from services.audit.db.ledger_tables import FundHeadRow, LedgerEntryRow, LedgerPostingRow
from services.audit.domain.chain import GENESIS_HASH, ChainEntry, FundHead
from services.audit.domain.postings import Posting
from shared.bulk import among, copy_rows, insert_or_ignore

ENTRIES, POSTINGS, HEADS = LedgerEntryRow.__table__, LedgerPostingRow.__table__, FundHeadRow.__table__


def lock_head(session: Session, fund: str) -> FundHead:
    """The fund's head, locked FOR UPDATE until the transaction ends (seq 0: no entry yet).

    A fund's first entry has no row to lock, so one is created first; a second transaction inserting
    the same row waits for the first to commit, then locks it: the chain cannot fork.
    (SQLite has no row locks; it serialises writers for the whole database instead.)
    """
    query = select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.fund == fund).with_for_update()
    row = session.execute(query).one_or_none()
    if row is None:
        insert_or_ignore(session, HEADS, {"fund": fund, "seq": 0, "hash": GENESIS_HASH}, ["fund"])
        row = session.execute(query).one()
    return FundHead(row.seq, row.hash)


def append(session: Session, entries: Sequence[ChainEntry], locked: Mapping[str, FundHead]) -> None:
    """Insert linked entries (each fund's in seq order) and their postings, and move each fund's head.

    The caller holds the heads' locks, taken when they were `locked`. Entries and postings go in by COPY
    (under the heads' locks nothing else can write them, so there is no conflict to handle), the heads one
    statement per fund. Each fund's Merkle log takes the entries as its next leaves in the same transaction.
    The heads move and the logs' frontiers are read first, then the COPYs are left unsettled
    (shared.deferred_copy): PostgreSQL takes each one's rows while the next one's are made, and the caller's
    next statement or commit settles the last.
    """
    if not entries:
        return
    last = {e.fund: e for e in entries}
    for fund, entry in sorted(last.items()):
        moved = session.execute(update(HEADS).where(HEADS.c.fund == fund, HEADS.c.seq == locked[fund].seq)
                                .values(seq=entry.seq, hash=entry.hash)).rowcount
        if moved != 1:  # the lock makes this unreachable; refuse to fork the chain if it ever is not
            raise RuntimeError(f"fund {fund}: head moved while appending up to seq {entry.seq}")
    frontiers = merkle_repo.frontiers(session, entries)
    copy_rows(session, ENTRIES, [
        {"entry_id": e.entry_id, "fund": e.fund, "seq": e.seq, "event_id": e.event_id, "payment_id": e.payment_id,
         "prev_hash": e.prev_hash, "hash": e.hash, "posted_at": e.posted_at} for e in entries], settle_later=True)
    merkle_repo.write_nodes(session, merkle_repo.nodes_completed(frontiers, entries), settle_later=True)
    # the postings last: their foreign keys make them the slowest for the server, and the caller has Python to do
    copy_rows(session, POSTINGS, [
        {"entry_id": e.entry_id, "fund": e.fund, "account": p.account, "debit_fen": p.debit_fen,
         "credit_fen": p.credit_fen} for e in entries for p in e.postings], settle_later=True)


def entries_for_payments(session: Session, payment_ids: Iterable[str]) -> list[ChainEntry]:
    """These payments' entries with their postings, each fund's in seq order (a payment's issue, then its closing)."""
    ids = sorted(set(payment_ids))
    if not ids:
        return []
    query = (select(ENTRIES, POSTINGS.c.account, POSTINGS.c.debit_fen, POSTINGS.c.credit_fen)
             .join(POSTINGS, POSTINGS.c.entry_id == ENTRIES.c.entry_id)
             .where(among(session, ENTRIES.c.payment_id, ids)).order_by(ENTRIES.c.fund, ENTRIES.c.seq, POSTINGS.c.id))
    rows: dict[str, tuple] = {}
    for row in session.execute(query):
        rows.setdefault(row.entry_id, (row, []))[1].append(Posting(row.account, row.debit_fen, row.credit_fen))
    return [to_chain_entry(row, tuple(postings)) for row, postings in rows.values()]


def postings_of(session: Session, entry_ids: list[str]) -> dict[str, tuple[Posting, ...]]:
    found: dict[str, list[Posting]] = {}
    if entry_ids:
        rows = session.execute(select(POSTINGS).where(POSTINGS.c.entry_id.in_(entry_ids)).order_by(POSTINGS.c.id))
        for r in rows:
            found.setdefault(r.entry_id, []).append(Posting(r.account, r.debit_fen, r.credit_fen))
    return {entry_id: tuple(ps) for entry_id, ps in found.items()}


def to_chain_entry(row, postings: tuple[Posting, ...]) -> ChainEntry:  # type: ignore[no-untyped-def]
    return ChainEntry(row.fund, row.seq, row.entry_id, row.event_id, row.payment_id, postings, row.posted_at,
                      row.prev_hash, row.hash)
