"""The funds' Merkle logs: leaves appended with their entries, and the few nodes a root or a proof needs.

Appending reads a fund's frontier (its at most log2(n) rightmost complete subtrees) and inserts every
node the new leaves complete, one statement per batch; the fund's head lock, held by the caller,
keeps two appenders from building on the same frontier. A root or a proof reads its O(log n) nodes
in one query, whatever the size of the tree.
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from services.audit.db.ledger_tables import LedgerEntryRow
from services.audit.db.merkle_tables import MerkleNodeRow
from services.audit.domain import merkle
from services.audit.domain.chain import ChainEntry
from services.audit.domain.entry_leaves import entry_leaf
from shared.bulk import copy_rows

NODES, ENTRIES = MerkleNodeRow.__table__, LedgerEntryRow.__table__


Frontiers = dict[str, list[tuple[merkle.NodeId, bytes]]]  # by fund: its log's rightmost complete subtrees


def append_leaves(session: Session, entries: Sequence[ChainEntry]) -> None:
    """Append the entries (each fund's in seq order, following its log's last leaf) to their funds' logs."""
    write_nodes(session, nodes_completed(frontiers(session, entries), entries))


def frontiers(session: Session, entries: Sequence[ChainEntry]) -> Frontiers:
    """The frontier each fund's log has before these entries (each fund's first follows its log's last leaf)."""
    found_of: Frontiers = {}
    for entry in entries:
        if entry.fund in found_of:
            continue
        size = entry.seq - 1
        wanted = merkle.subtrees(0, size)
        found = read_nodes(session, entry.fund, wanted)
        if len(found) != len(wanted):  # the chain and the log disagree: refuse to build on a gap
            raise RuntimeError(f"fund {entry.fund}: the log does not hold the {size} leaves before seq {size + 1}")
        found_of[entry.fund] = [(node, found[node]) for node in wanted]
    return found_of


def nodes_completed(found: Frontiers, entries: Sequence[ChainEntry]) -> list[dict[str, object]]:
    """The rows of every node the entries complete, each fund's log growing from its frontier."""
    leaves: dict[str, list[bytes]] = {}
    for entry in entries:
        leaves.setdefault(entry.fund, []).append(entry_leaf(entry))
    rows = []
    for fund, frontier in sorted(found.items()):
        created, _ = merkle.append_leaves(frontier, leaves[fund])
        rows += [{"fund": fund, "level": level, "idx": idx, "hash": digest.hex()}
                 for (level, idx), digest in created]
    return rows


def write_nodes(session: Session, rows: list[dict[str, object]], *, settle_later: bool = False) -> None:
    copy_rows(session, NODES, rows, settle_later=settle_later)  # new nodes only, under the funds' head locks


def read_nodes(session: Session, fund: str, nodes: Iterable[merkle.NodeId]) -> dict[merkle.NodeId, bytes]:
    wanted = sorted(set(nodes))
    if not wanted:
        return {}
    query = select(NODES.c.level, NODES.c.idx, NODES.c.hash).where(
        NODES.c.fund == fund, tuple_(NODES.c.level, NODES.c.idx).in_(wanted))
    return {(level, idx): bytes.fromhex(digest) for level, idx, digest in session.execute(query)}


def range_hashes(session: Session, fund: str, ranges: Sequence[merkle.Range]) -> list[bytes]:
    """MTH of each range of leaves, from one read of the nodes they are made of (all within the log)."""
    stored = read_nodes(session, fund, merkle.nodes_of(ranges))
    return [merkle.range_hash(start, end, stored) for start, end in ranges]


def log_size(session: Session, fund: str) -> int:
    """How many leaves the fund's log holds (0: none, or no such fund)."""
    last = session.execute(select(func.max(NODES.c.idx)).where(NODES.c.fund == fund, NODES.c.level == 0)).scalar()
    return 0 if last is None else last + 1


def entry_position(session: Session, entry_id: str) -> tuple[str, int] | None:
    """The fund and seq of an entry (its leaf is seq - 1 of that fund's log), None when there is no such entry."""
    row = session.execute(select(ENTRIES.c.fund, ENTRIES.c.seq).where(ENTRIES.c.entry_id == entry_id)).one_or_none()
    return None if row is None else (row.fund, row.seq)
