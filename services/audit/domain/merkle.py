"""The ledger's Merkle log, hashed as RFC 9162 §2.1: roots, proofs and their verification.

    leaf hash  = SHA-256(0x00 ‖ entry bytes)        node hash = SHA-256(0x01 ‖ left ‖ right)
    MTH(D[n])  = HASH(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])), k the largest power of two below n

A tree is never rebuilt to answer. Every complete subtree is stored once, when its last leaf is
appended, as node (level, index) over leaves [index·2^level, (index+1)·2^level); level 0 holds the
leaf hashes. Every range the RFC's recursion meets starts at a multiple of the largest power of two
that fits in it, so it is a run of at most log2(n) stored nodes (`subtrees`). A root or a proof is
therefore planned as ranges, its O(log n) nodes read at once, and hashed (`range_hash`).
"""

import hashlib
from collections.abc import Iterable, Mapping, Sequence

NodeId = tuple[int, int]  # (level, index)
Range = tuple[int, int]  # leaves [start, end)


class ProofFailed(ValueError):
    """A proof that does not verify; the message says why."""


def leaf_hash(entry_bytes: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry_bytes).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """k of RFC 9162 §2.1.1: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtrees(start: int, end: int) -> list[NodeId]:
    """The stored complete subtrees that make up leaves [start, end), left to right."""
    nodes = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start % (1 << level):
            raise ValueError(f"[{start}, {end}) is not a range of the tree's recursion")
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def range_hash(start: int, end: int, stored: Mapping[NodeId, bytes]) -> bytes:
    """MTH(D[start:end]) from its complete subtrees: folded from the right, as the recursion nests them."""
    nodes = [stored[node] for node in subtrees(start, end)]
    digest = nodes[-1]
    for left in reversed(nodes[:-1]):
        digest = node_hash(left, digest)
    return digest


def nodes_of(ranges: Iterable[Range]) -> set[NodeId]:
    """Every stored node the ranges need (what one read must fetch)."""
    return {node for start, end in ranges for node in subtrees(start, end)}


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """PATH(index, D[size]) of §2.1.3.1 as ranges, the leaf's sibling first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    ranges, start, end = [], 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(first: int, second: int) -> list[Range]:
    """PROOF(first, D[second]) of §2.1.4.1 (SUBPROOF with b = true) as ranges; empty when first == second."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    ranges, start, end, whole = [], 0, second, True  # whole: b, the old tree is D[0:end] itself
    while first - start != end - start:
        k = split_point(end - start)
        if first - start <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, whole = start + k, False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def append_leaves(frontier: Sequence[tuple[NodeId, bytes]], leaves: Iterable[bytes]
                  ) -> tuple[list[tuple[NodeId, bytes]], list[tuple[NodeId, bytes]]]:
    """Append leaf hashes after a tree's frontier (its complete subtrees for subtrees(0, size), in order).

    Returns every node the leaves complete (leaves included) and the new frontier.
    """
    stack = list(frontier)
    size = sum(1 << level for (level, _), _ in stack)
    created: list[tuple[NodeId, bytes]] = []
    for leaf in leaves:
        node = ((0, size), leaf)
        created.append(node)
        size += 1
        while stack and stack[-1][0][0] == node[0][0]:
            (level, index), left = stack.pop()
            node = ((level + 1, index >> 1), node_hash(left, node[1]))
            created.append(node)
        stack.append(node)
    return created, stack


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """§2.1.3.2: the root an inclusion proof leads to (compare it with a signed root)."""
    if index >= size or index < 0:
        raise ProofFailed(f"leaf index {index} is outside a tree of {size}")
    r = leaf
    for p, left in zip(path, _sides(index, size - 1, len(path), "inclusion")):
        r = node_hash(p, r) if left else node_hash(r, p)
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes) -> None:
    if root_from_inclusion(index, size, leaf, path) != root:
        raise ProofFailed("the inclusion path does not lead to the signed root")


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       path: Sequence[bytes]) -> None:
    """§2.1.4.2: the tree of `second` leaves extends the tree of `first` leaves, or ProofFailed."""
    if first < 1 or first > second:
        raise ProofFailed(f"no tree of {second} leaves extends one of {first}")
    if first == second:
        if path:
            raise ProofFailed("trees of the same size need an empty proof")
        if first_root != second_root:
            raise ProofFailed(f"two different roots for the same size {first}")
        return
    if not path:
        raise ProofFailed("the consistency path is empty")
    nodes = [first_root, *path] if first & (first - 1) == 0 else list(path)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = nodes[0]
    for c, left in zip(nodes[1:], _sides(fn, sn, len(nodes) - 1, "consistency")):
        if left:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
        else:
            sr = node_hash(sr, c)
    if fr != first_root:
        raise ProofFailed(f"the proof does not lead to the earlier root of size {first}")
    if sr != second_root:
        raise ProofFailed(f"the proof does not lead to the later root of size {second}")


def _sides(fn: int, sn: int, length: int, what: str) -> list[bool]:
    """The walk up the tree shared by §2.1.3.2 and §2.1.4.2: for each path node, whether it is a left sibling."""
    sides = []
    for _ in range(length):
        if sn == 0:
            raise ProofFailed(f"the {what} path is longer than the tree is deep")
        left = bool(fn & 1) or fn == sn
        if left:
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        sides.append(left)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofFailed(f"the {what} path is shorter than the tree is deep")
    return sides
