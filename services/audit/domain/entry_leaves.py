"""A ledger entry as a leaf of its fund's Merkle log.

The entry bytes are the chain's canonical encoding, version 1 (services.audit.domain.chain: sorted-key
compact ASCII JSON of entry_id, event_id, fund, payment_id, postings in fen, posted_at, seq), without
prev_hash or hash: the log commits to what the entry says, the chain to its order, independently.
A fund's entry of seq s is leaf s - 1 of that fund's log.
"""

from services.audit.domain.chain import ChainEntry, canonical_bytes
from services.audit.domain.merkle import leaf_hash


def entry_bytes(entry: ChainEntry) -> bytes:
    if entry.canonical is not None:  # encoded when it was linked
        return entry.canonical
    return canonical_bytes(entry.fund, entry.seq, entry.entry_id, entry.event_id, entry.payment_id, entry.postings,
                           entry.posted_at)


def entry_leaf(entry: ChainEntry) -> bytes:
    """SHA-256(0x00 ‖ entry bytes)."""
    return leaf_hash(entry_bytes(entry))


def leaf_index(entry: ChainEntry) -> int:
    return entry.seq - 1
