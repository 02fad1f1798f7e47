"""Checking proofs as an auditor holds them: JSON documents and the log's public key, no database.

ENTRY is an item of GET /v1/ledger/entries (the export's shape), PROOF the body of a proofs endpoint,
CHECKPOINT an item of GET /v1/ledger/checkpoints. Every check raises ValueError (ProofFailed,
CheckpointInvalid) saying what does not hold.
"""

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from services.audit.domain import checkpoints, merkle
from services.audit.domain.entry_leaves import entry_leaf, leaf_index
from services.audit.domain.export import entry_from_json


def check_inclusion(entry_doc: Any, proof_doc: Any, checkpoint_doc: Any, key: Ed25519PublicKey) -> dict[str, Any]:
    """The entry is leaf seq - 1 of the log whose root the checkpoint signs."""
    checkpoint = checkpoints.verified(checkpoint_doc, key)
    entry = entry_from_json(entry_doc)
    proof = _object(proof_doc, "fund", "entry_id", "leaf_index", "tree_size", "inclusion_path")
    _same("fund", entry.fund, proof["fund"], checkpoint.fund)
    _same("entry_id", entry.entry_id, proof["entry_id"])
    _same("leaf index", leaf_index(entry), proof["leaf_index"])
    _same("tree size", checkpoint.size, proof["tree_size"])
    merkle.verify_inclusion(leaf_index(entry), checkpoint.size, entry_leaf(entry), _hashes(proof["inclusion_path"]),
                            _hash(checkpoint.root))
    return {"ok": True, "fund": entry.fund, "entry_id": entry.entry_id, "seq": entry.seq,
            "tree_size": checkpoint.size, "root": checkpoint.root}


def check_consistency(old_doc: Any, new_doc: Any, proof_doc: Any, key: Ed25519PublicKey) -> dict[str, Any]:
    """The newer checkpoint's log extends the older one's: nothing in it was changed or removed."""
    old, new = checkpoints.verified(old_doc, key), checkpoints.verified(new_doc, key)
    _same("fund", old.fund, new.fund)
    if new.size < old.size:
        raise merkle.ProofFailed(f"the log shrank: {old.size} entries signed earlier, {new.size} now")
    proof = _object(proof_doc, "fund", "first", "second", "consistency_path")
    _same("fund", old.fund, proof["fund"])
    _same("first size", old.size, proof["first"])
    _same("second size", new.size, proof["second"])
    merkle.verify_consistency(old.size, new.size, _hash(old.root), _hash(new.root),
                              _hashes(proof["consistency_path"]))
    return {"ok": True, "fund": old.fund, "first": old.size, "second": new.size, "first_root": old.root,
            "second_root": new.root}


def _object(doc: Any, *fields: str) -> dict[str, Any]:
    if not isinstance(doc, dict) or any(f not in doc for f in fields):
        raise ValueError(f"the proof must be a JSON object with {', '.join(fields)}")
    return doc


def _same(what: str, expected: Any, *found: Any) -> None:
    for value in found:
        if value != expected:
            raise merkle.ProofFailed(f"{what} differs: {expected!r} against {value!r}")


def _hash(text: Any) -> bytes:
    try:
        digest = bytes.fromhex(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a hex hash: {text!r}") from exc
    if len(digest) != 32:
        raise ValueError(f"not a SHA-256 hash: {text!r}")
    return digest


def _hashes(values: Any) -> list[bytes]:
    if not isinstance(values, list):
        raise ValueError("a proof path must be a list of hex hashes")
    return [_hash(v) for v in values]
