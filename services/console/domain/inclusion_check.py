"""The console checks a payment trail's inclusion proofs itself, from the public documents alone (docs/api.md,
"The ledger's Merkle log"): the entry's leaf hash recomputed from the entry as the API shows it, the audit path
walked to a root (RFC 9162 §2.1.3.2), and that root signed by the log's Ed25519 key in the checkpoint. An auditor
reading the page so does not take the audit service's word that an entry is in the signed log."""

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

CHECKPOINT_CONTEXT = b"grants-ledger-checkpoint/v1\n"

VERIFIED, NOT_COVERED, FAILED = "verified", "not_covered", "failed"


@dataclass(frozen=True)
class ProofCheck:
    status: str  # VERIFIED, NOT_COVERED (no checkpoint covers the entry yet) or FAILED
    reason: str = ""  # why it failed (English, technical: shown as it is beside the translated status)


def _canonical(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _fen(amount: str) -> int:
    try:
        value = Decimal(amount) * 100
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number of fen: {amount!r}")
    return int(value)


def entry_leaf_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256(0x00 ‖ entry bytes, version 1) of a ledger entry as GET /v1/ledger/entries gives it."""
    postings = sorted(({"account": p["account"], "credit_fen": _fen(p["credit"]), "debit_fen": _fen(p["debit"])}
                       for p in entry["postings"]), key=lambda p: (p["account"], p["debit_fen"], p["credit_fen"]))
    document = {"entry_id": entry["entry_id"], "event_id": entry["event_id"], "fund": entry["fund"],
                "payment_id": entry.get("payment_id"), "postings": postings, "posted_at": entry["posted_at"],
                "seq": entry["seq"]}
    return hashlib.sha256(b"\x00" + _canonical(document)).hexdigest()


def root_from_path(leaf_index: int, tree_size: int, leaf: bytes, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2, step by step as the RFC writes it; None when the path does not fit the tree."""
    if not 0 <= leaf_index < tree_size:
        return None
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def key_id(public_pem: str) -> str:
    key = serialization.load_pem_public_key(public_pem.encode("ascii"))
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def checkpoint_signed(checkpoint: Mapping[str, Any], public_pem: str) -> bool:
    """The checkpoint's signature is the log key's over its message (fund, issued_at, key_id, root, size)."""
    key = serialization.load_pem_public_key(public_pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey) or checkpoint.get("key_id") != key_id(public_pem):
        return False
    message = CHECKPOINT_CONTEXT + _canonical({k: checkpoint[k] for k in ("fund", "issued_at", "key_id", "root",
                                                                          "size")})
    try:
        key.verify(base64.b64decode(checkpoint["signature"], validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def check_entry(entry: Mapping[str, Any], checkpoint: Mapping[str, Any] | None, public_pem: str) -> ProofCheck:
    """The entry's inclusion proof (entry["inclusion_proof"]) against the checkpoint it names."""
    proof = entry.get("inclusion_proof")
    if not proof:
        return ProofCheck(NOT_COVERED)
    try:
        leaf = entry_leaf_hash(entry)
        if leaf != proof["leaf_hash"]:
            return ProofCheck(FAILED, "the entry's leaf hash differs from the proof's")
        if checkpoint is None or checkpoint.get("id") != proof["checkpoint_id"]:
            return ProofCheck(FAILED, "the checkpoint the proof names was not found")
        if (checkpoint["size"], checkpoint["root"], checkpoint["fund"]) != (proof["tree_size"], proof["root"],
                                                                             entry["fund"]):
            return ProofCheck(FAILED, "the proof's tree differs from the signed checkpoint's")
        if proof["leaf_index"] != entry["seq"] - 1:
            return ProofCheck(FAILED, "the proof is for another leaf")
        root = root_from_path(proof["leaf_index"], proof["tree_size"], bytes.fromhex(leaf),
                              [bytes.fromhex(h) for h in proof["inclusion_path"]])
    except (KeyError, TypeError, ValueError) as exc:
        return ProofCheck(FAILED, f"malformed proof: {exc}")
    if root is None or root.hex() != checkpoint["root"]:
        return ProofCheck(FAILED, "the inclusion path does not lead to the signed root")
    if not checkpoint_signed(checkpoint, public_pem):
        return ProofCheck(FAILED, "the checkpoint's signature does not verify with the log's key")
    return ProofCheck(VERIFIED)
