"""Reading a fund's Merkle log back, and the log its chain's entries should have built."""

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.audit.db.ledger_reads import iter_chain
from services.audit.db.merkle_tables import MerkleNodeRow
from services.audit.domain.entry_leaves import entry_leaf
from services.audit.domain.merkle import append_leaves

NODES = MerkleNodeRow.__table__


def stored_nodes(engine: Engine) -> dict[tuple[str, int, int], str]:
    with engine.connect() as conn:
        return {(r.fund, r.level, r.idx): r.hash for r in conn.execute(select(NODES))}


def nodes_of_the_chain(engine: Engine) -> dict[tuple[str, int, int], str]:
    """Every fund's log as built at once from its chain's entries in seq order."""
    by_fund: dict[str, list[bytes]] = {}
    with Session(engine) as session:
        for entry in iter_chain(session):
            by_fund.setdefault(entry.fund, []).append(entry_leaf(entry))
    return {(fund, level, idx): digest.hex() for fund, leaves in by_fund.items()
            for (level, idx), digest in append_leaves([], leaves)[0]}
