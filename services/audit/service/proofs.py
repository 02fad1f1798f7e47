"""Inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4) of a fund's Merkle log, from its stored nodes.

Each proof is three reads whatever the size of the log: where the entry is (or nothing), how many
leaves the log holds, and the O(log n) complete subtrees the proof's ranges are made of.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from services.audit.db import merkle_repo
from services.audit.domain.merkle import consistency_ranges, inclusion_ranges
from shared.errors import NotFound, ValidationFailed


@dataclass(frozen=True)
class InclusionProof:
    fund: str
    entry_id: str
    leaf_index: int
    tree_size: int
    inclusion_path: list[bytes]


@dataclass(frozen=True)
class ConsistencyProof:
    fund: str
    first: int
    second: int
    consistency_path: list[bytes]


def inclusion(session: Session, entry_id: str, size: int) -> InclusionProof:
    """The audit path of the entry in its fund's log as it stood at `size` leaves."""
    position = merkle_repo.entry_position(session, entry_id)
    if position is None:
        raise NotFound(f"no ledger entry {entry_id!r}")
    fund, seq = position
    _within("size", seq, size, merkle_repo.log_size(session, fund), f"entry {entry_id} is leaf {seq - 1}")
    path = merkle_repo.range_hashes(session, fund, inclusion_ranges(seq - 1, size))
    return InclusionProof(fund, entry_id, seq - 1, size, path)


def consistency(session: Session, fund: str, first: int, second: int) -> ConsistencyProof:
    """That the log of `second` leaves extends the log of `first` leaves (empty when they are equal)."""
    current = merkle_repo.log_size(session, fund)
    if current == 0:
        raise NotFound(f"fund {fund!r} has no ledger entries")
    _within("from", 1, first, current, "from counts leaves")
    _within("to", first, second, current, "to must not be below from")
    return ConsistencyProof(fund, first, second,
                            merkle_repo.range_hashes(session, fund, consistency_ranges(first, second)))


def _within(field: str, low: int, value: int, high: int, why: str) -> None:
    if not low <= value <= high:
        message = f"must be between {low} and {high}, the log's size now ({why}); got {value}"
        raise ValidationFailed(f"{field}: {message}", errors=[{"field": field, "message": message}])
