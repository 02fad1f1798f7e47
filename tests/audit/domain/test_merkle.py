"""The Merkle log's hashing and proofs against RFC 9162 §2.1's definitions, written here as plain recursion."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.audit.domain.merkle import (ProofFailed, append_leaves, consistency_ranges, inclusion_ranges, leaf_hash,
                                          nodes_of, range_hash, root_from_inclusion, subtrees, verify_consistency,
                                          verify_inclusion)


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) of §2.1.1 over leaf inputs, verbatim."""
    if len(leaves) == 1:
        return _h(b"\x00" + leaves[0])
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return _h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of §2.1.3.1, verbatim."""
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of §2.1.4.1, verbatim."""
    if m == len(leaves):
        return [] if b else [mth(leaves)]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def stored_tree(leaves: list[bytes]) -> dict:
    nodes, _ = append_leaves([], [leaf_hash(x) for x in leaves])
    return dict(nodes)


def leaf_inputs(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


# The eight leaf inputs of Certificate Transparency's reference tests and the root of each prefix of them.
CT_LEAVES = [bytes.fromhex(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                        "606162636465666768696a6b6c6d6e6f")]
CT_ROOTS = ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]


@pytest.mark.parametrize("size", range(1, 9))
def test_roots_match_certificate_transparencys_reference_vectors(size):
    stored = stored_tree(CT_LEAVES)
    assert range_hash(0, size, stored).hex() == CT_ROOTS[size - 1] == mth(CT_LEAVES[:size]).hex()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70), st.data())
def test_inclusion_proofs_are_the_rfcs_path_and_verify(size, data):
    leaves = leaf_inputs(size)
    stored = stored_tree(leaves)
    index = data.draw(st.integers(0, size - 1))
    proof = [range_hash(a, b, stored) for a, b in inclusion_ranges(index, size)]
    assert proof == path(index, leaves)
    verify_inclusion(index, size, leaf_hash(leaves[index]), proof, mth(leaves))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 70), st.data())
def test_consistency_proofs_are_the_rfcs_subproof_and_verify(second, data):
    leaves = leaf_inputs(second)
    stored = stored_tree(leaves)
    first = data.draw(st.integers(1, second))
    proof = [range_hash(a, b, stored) for a, b in consistency_ranges(first, second)]
    assert proof == subproof(first, leaves, True)
    verify_consistency(first, second, mth(leaves[:first]), mth(leaves), proof)


def test_a_changed_leaf_fails_inclusion_and_consistency_with_the_earlier_root():
    leaves = leaf_inputs(7)
    old_root = mth(leaves[:5])
    forged = leaves[:2] + [b"forged"] + leaves[3:]
    stored = stored_tree(forged)
    with pytest.raises(ProofFailed, match="does not lead"):
        verify_inclusion(2, 5, leaf_hash(forged[2]), [range_hash(a, b, stored) for a, b in inclusion_ranges(2, 5)],
                         old_root)
    with pytest.raises(ProofFailed, match="earlier root"):
        verify_consistency(5, 7, old_root, mth(forged),
                           [range_hash(a, b, stored) for a, b in consistency_ranges(5, 7)])


@pytest.mark.parametrize("first,second,path_length,reason", [
    (3, 7, 0, "empty"), (3, 7, 9, "longer"), (3, 7, 1, "shorter"), (5, 3, 1, "extends"), (4, 4, 1, "same size")])
def test_malformed_consistency_proofs_fail_with_a_reason(first, second, path_length, reason):
    with pytest.raises(ProofFailed, match=reason):
        verify_consistency(first, second, b"a" * 32, b"b" * 32, [b"c" * 32] * path_length)


def test_inclusion_path_of_the_wrong_length_fails():
    leaves = leaf_inputs(6)
    proof = path(3, leaves)
    with pytest.raises(ProofFailed, match="longer"):
        root_from_inclusion(3, 6, leaf_hash(leaves[3]), proof + proof)
    with pytest.raises(ProofFailed, match="shorter"):
        root_from_inclusion(3, 6, leaf_hash(leaves[3]), proof[:-1])
    with pytest.raises(ProofFailed, match="outside"):
        root_from_inclusion(6, 6, leaf_hash(leaves[3]), proof)


def test_appending_in_pieces_stores_the_same_nodes_as_at_once():
    hashes = [leaf_hash(x) for x in leaf_inputs(23)]
    at_once, _ = append_leaves([], hashes)
    first, frontier = append_leaves([], hashes[:10])
    assert frontier == [(n, dict(first)[n]) for n in subtrees(0, 10)]
    rest, _ = append_leaves(frontier, hashes[10:])
    assert dict(first + rest) == dict(at_once)
    assert len(at_once) == 2 * 23 - bin(23).count("1")  # every complete subtree once


def test_a_proof_in_a_tree_of_a_million_reads_only_a_few_dozen_nodes():
    size = 1_000_001
    assert len(nodes_of(inclusion_ranges(size - 1, size))) <= 2 * 20
    assert len(nodes_of(consistency_ranges(700_001, size))) <= 2 * 20
