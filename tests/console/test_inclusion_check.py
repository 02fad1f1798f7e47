"""The console checks a trail's inclusion proofs itself: the leaf hash from the entry as the API shows it (the
docs' worked example), the audit path to the root (a log built here by hand, RFC 9162's tree), and the root
signed by the log's key. A changed amount, a wrong path or another key is shown as failing, never as verified."""

import base64
import hashlib
import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.console.domain.inclusion_check import (CHECKPOINT_CONTEXT, FAILED, NOT_COVERED, VERIFIED,
                                                     check_entry, entry_leaf_hash, key_id, root_from_path)

DOCS_ENTRY = {"entry_id": "e-1", "event_id": "ev-1", "fund": "ui", "payment_id": "p1",
              "posted_at": "2023-11-01T01:00:00.000000Z", "seq": 1,
              "postings": [{"account": "ui:payable", "debit": "0.00", "credit": "1500.00"},
                           {"account": "ui:expense:skill_upgrade", "debit": "1500.00", "credit": "0.00"}]}


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _entry(seq: int) -> dict:
    return {**DOCS_ENTRY, "entry_id": f"e-{seq}", "event_id": f"ev-{seq}", "payment_id": f"p{seq}", "seq": seq}


def _signed(fund: str, size: int, root: bytes, key: Ed25519PrivateKey) -> tuple[dict, str]:
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    checkpoint = {"id": 7, "fund": fund, "size": size, "root": root.hex(),
                  "issued_at": "2023-11-02T00:00:00.000000Z", "key_id": key_id(pem)}
    message = CHECKPOINT_CONTEXT + json.dumps({k: checkpoint[k] for k in ("fund", "issued_at", "key_id", "root",
                                                                          "size")},
                                              sort_keys=True, separators=(",", ":")).encode()
    checkpoint["signature"] = base64.b64encode(key.sign(message)).decode()
    return checkpoint, pem


def _log_of_three(key: Ed25519PrivateKey) -> tuple[list[dict], dict, str]:
    """Three entries; the third's proof is the root of the first two (RFC 9162: MTH splits 3 as 2 + 1)."""
    entries = [_entry(seq) for seq in (1, 2, 3)]
    leaves = [bytes.fromhex(entry_leaf_hash(e)) for e in entries]
    left = _node(leaves[0], leaves[1])
    checkpoint, pem = _signed("ui", 3, _node(left, leaves[2]), key)
    proof = {"checkpoint_id": 7, "tree_size": 3, "root": checkpoint["root"], "leaf_index": 2,
             "leaf_hash": leaves[2].hex(), "inclusion_path": [left.hex()]}
    entries[2]["inclusion_proof"] = proof
    entries[0]["inclusion_proof"] = {**proof, "leaf_index": 0, "leaf_hash": leaves[0].hex(),
                                     "inclusion_path": [leaves[1].hex(), leaves[2].hex()]}
    return entries, checkpoint, pem


def test_the_leaf_hash_is_the_documented_one():
    assert entry_leaf_hash(DOCS_ENTRY) == "6ac9a16a59e89192f97337cb8d12c99d39b81ad6436766de89f694ed5c89c6bd"


def test_a_proof_that_leads_to_the_signed_root_is_verified():
    entries, checkpoint, pem = _log_of_three(Ed25519PrivateKey.generate())
    assert check_entry(entries[2], checkpoint, pem).status == VERIFIED
    assert check_entry(entries[0], checkpoint, pem).status == VERIFIED
    assert check_entry(entries[1], checkpoint, pem).status == NOT_COVERED  # no proof given


def test_a_changed_entry_a_wrong_path_or_another_key_does_not_verify():
    entries, checkpoint, pem = _log_of_three(Ed25519PrivateKey.generate())
    changed = {**entries[2], "postings": [{**p, "debit": "15000.00"} if p["debit"] != "0.00" else p
                                         for p in entries[2]["postings"]]}
    assert check_entry(changed, checkpoint, pem).status == FAILED
    wrong_path = {**entries[2], "inclusion_proof": {**entries[2]["inclusion_proof"], "inclusion_path": ["00" * 32]}}
    assert check_entry(wrong_path, checkpoint, pem).reason == "the inclusion path does not lead to the signed root"
    _, other_pem = _signed("ui", 3, bytes(32), Ed25519PrivateKey.generate())
    assert check_entry(entries[2], checkpoint, other_pem).status == FAILED
    assert root_from_path(3, 3, bytes(32), []) is None  # a leaf outside the tree
