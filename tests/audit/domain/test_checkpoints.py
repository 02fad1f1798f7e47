"""What a checkpoint signature covers, pinned, and what makes a checkpoint document untrustworthy."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.audit.domain.checkpoints import (Checkpoint, CheckpointInvalid, Signer, from_json, message, to_json,
                                               verified)

AT = datetime(2026, 11, 23, 1, 2, 3, 4, tzinfo=UTC)


def test_the_signed_message_is_pinned():
    """Changing it silently would orphan every signature ever published: this vector must never change."""
    checkpoint = Checkpoint("unemployment_insurance", 7, "ab" * 32, AT, "cd" * 32)
    assert message(checkpoint) == (
        b'grants-ledger-checkpoint/v1\n{"fund":"unemployment_insurance","issued_at":"2026-11-23T01:02:03.000004Z",'
        b'"key_id":"' + b"cd" * 32 + b'","root":"' + b"ab" * 32 + b'","size":7}')


def test_a_signed_checkpoint_verifies_and_round_trips_through_json():
    signer = Signer(Ed25519PrivateKey.generate())
    checkpoint, signature = signer.checkpoint("ui", 3, bytes(32), AT)
    assert verified(to_json(checkpoint, signature), signer.public_key) == checkpoint
    assert from_json(to_json(checkpoint, signature)) == (checkpoint, signature)


@pytest.mark.parametrize("change, reason", [
    (lambda d: d.update(size=4), "does not verify"),
    (lambda d: d.update(root="11" * 32), "does not verify"),
    (lambda d: d.update(issued_at="2026-11-23T01:02:03.000005Z"), "does not verify"),
    (lambda d: d.update(signature="not base64!"), "does not verify"),
    (lambda d: d.update(key_id="ee" * 32), "names signing key"),
    (lambda d: d.pop("root"), "missing"),
    (lambda d: d.update(size=True), "positive integer"),
    (lambda d: d.update(issued_at="2026-11-23T01:02:03"), "UTC"),
])
def test_a_checkpoint_changed_in_any_field_is_refused(change, reason):
    signer = Signer(Ed25519PrivateKey.generate())
    doc = to_json(*signer.checkpoint("ui", 3, bytes(32), AT))
    change(doc)
    with pytest.raises(CheckpointInvalid, match=reason):
        verified(doc, signer.public_key)


def test_a_checkpoint_verifies_only_with_the_key_that_signed_it():
    signer, other = Signer(Ed25519PrivateKey.generate()), Signer(Ed25519PrivateKey.generate())
    checkpoint, signature = signer.checkpoint("ui", 3, bytes(32), AT)
    with pytest.raises(CheckpointInvalid, match="names signing key"):
        verified(to_json(checkpoint, signature), other.public_key)
    with pytest.raises(CheckpointInvalid, match="does not verify"):  # another key's signature under our key id
        verified(to_json(replace(checkpoint, key_id=other.key_id), signature), other.public_key)
