"""Signed checkpoints of a fund's Merkle log: what is signed, how, and how anyone checks it offline.

Message signed (version 1; changing it orphans every signature):
    b"grants-ledger-checkpoint/v1\\n" + JSON of {"fund", "issued_at", "key_id", "root", "size"},
    keys sorted, separators "," and ":", ASCII; root the log's RFC 9162 root as lower-case hex,
    issued_at UTC "YYYY-MM-DDTHH:MM:SS.ffffffZ", size an integer.
key_id: lower-case hex SHA-256 of the signer's public key as DER SubjectPublicKeyInfo.
signature: Ed25519 (RFC 8032) over the message, standard base64. A witness's co-signature is its own
Ed25519 signature over the very same message, so it vouches for exactly what the log signed.
The first line keeps a checkpoint signature from being mistaken for a signature over anything else.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from services.audit.domain.chain import format_utc

CONTEXT = b"grants-ledger-checkpoint/v1\n"


class CheckpointInvalid(ValueError):
    """A checkpoint, key or signature that cannot be trusted; the message says why."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    fund: str
    size: int
    root: str  # hex
    issued_at: datetime
    key_id: str


def message(checkpoint: Checkpoint) -> bytes:
    document = {"fund": checkpoint.fund, "issued_at": format_utc(checkpoint.issued_at),
                "key_id": checkpoint.key_id, "root": checkpoint.root, "size": checkpoint.size}
    return CONTEXT + json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def key_id_of(public_key: Ed25519PublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    return _ed25519(lambda data: serialization.load_pem_public_key(data), pem, Ed25519PublicKey, "public key")


def load_private_key(pem: str | bytes) -> Ed25519PrivateKey:
    """An Ed25519 private key in PEM (PKCS #8, unencrypted)."""
    return _ed25519(lambda data: serialization.load_pem_private_key(data, password=None), pem, Ed25519PrivateKey,
                    "private key")


def _ed25519(load: Any, pem: str | bytes, kind: type, what: str) -> Any:
    try:
        key = load(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError) as exc:
        raise CheckpointInvalid(f"not a PEM {what}: {exc}") from exc
    if not isinstance(key, kind):
        raise CheckpointInvalid(f"the {what} is not an Ed25519 key")
    return key


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class Signer:
    """The log's signing key; only its public half and key id ever leave the process."""

    def __init__(self, private_key: Ed25519PrivateKey):
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id_of(self.public_key)
        self.public_pem = public_pem(self.public_key)

    def checkpoint(self, fund: str, size: int, root: bytes, issued_at: datetime) -> tuple[Checkpoint, str]:
        """The checkpoint of a fund's log and its base64 signature."""
        checkpoint = Checkpoint(fund, size, root.hex(), issued_at, self.key_id)
        return checkpoint, base64.b64encode(self._key.sign(message(checkpoint))).decode("ascii")


def check_signature(checkpoint: Checkpoint, signature: str, public_key: Ed25519PublicKey) -> None:
    """The signature is public_key's over the checkpoint (CheckpointInvalid otherwise)."""
    try:
        public_key.verify(base64.b64decode(signature, validate=True), message(checkpoint))
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise CheckpointInvalid("the signature does not verify with this key") from exc


def verified(doc: Any, public_key: Ed25519PublicKey) -> Checkpoint:
    """A checkpoint document (as GET /v1/ledger/checkpoints lists it) signed by public_key, or CheckpointInvalid."""
    checkpoint, signature = from_json(doc)
    expected = key_id_of(public_key)
    if checkpoint.key_id != expected:
        raise CheckpointInvalid(f"the checkpoint names signing key {checkpoint.key_id}, not the key given ({expected})")
    check_signature(checkpoint, signature, public_key)
    return checkpoint


def to_json(checkpoint: Checkpoint, signature: str) -> dict[str, Any]:
    return {"fund": checkpoint.fund, "size": checkpoint.size, "root": checkpoint.root,
            "issued_at": format_utc(checkpoint.issued_at), "key_id": checkpoint.key_id, "signature": signature}


def from_json(doc: Any) -> tuple[Checkpoint, str]:
    if not isinstance(doc, dict):
        raise CheckpointInvalid("a checkpoint must be a JSON object")
    try:
        fund, size, root, key_id, signature = (doc[k] for k in ("fund", "size", "root", "key_id", "signature"))
        issued_at = datetime.fromisoformat(doc["issued_at"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointInvalid(f"missing or malformed checkpoint field {exc}") from exc
    if not (isinstance(size, int) and not isinstance(size, bool) and size >= 1):
        raise CheckpointInvalid("size must be a positive integer")
    if not all(isinstance(v, str) for v in (fund, root, key_id, signature)) or issued_at.tzinfo is None:
        raise CheckpointInvalid("fund, root, key_id and signature must be strings, issued_at a UTC time")
    return Checkpoint(fund, size, root, issued_at, key_id), signature
