"""Checkpoint use cases: sign a fund's log (on demand or when due), read them back, take a witness's co-signature.

A checkpoint is stored and staged on the audit's outbox (grants.ledger.checkpoint, <prefix>.checkpoints.v1)
in the caller's transaction, so it is published exactly when it is kept. Signing reads the log's root
from its O(log n) stored nodes; the chain is not read.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from services.audit.db import checkpoint_repo, ledger_reads, merkle_repo
from services.audit.db.tables import outbox
from services.audit.domain.checkpoints import (Checkpoint, CheckpointInvalid, Signer, check_signature, key_id_of,
                                               load_public_key, to_json)
from shared import metrics
from shared.events import AUDIT_SOURCE, LEDGER_CHECKPOINT, new_event
from shared.logging import get_logger
from shared.outbox import enqueue
from shared.errors import NotFound, ValidationFailed

log = get_logger("audit.checkpoints")


@dataclass(frozen=True)
class Cosignature:
    key_id: str
    public_key: str
    signature: str
    received_at: datetime


@dataclass(frozen=True)
class IssuedCheckpoint:
    id: int
    checkpoint: Checkpoint
    signature: str
    cosignatures: tuple[Cosignature, ...] = ()


def issue(session: Session, signer: Signer, fund: str, now: datetime | None = None) -> IssuedCheckpoint:
    """Sign the fund's log as it stands."""
    size = merkle_repo.log_size(session, fund)
    if size == 0:
        raise NotFound(f"fund {fund!r} has no ledger entries to sign")
    (root,) = merkle_repo.range_hashes(session, fund, [(0, size)])
    checkpoint, signature = signer.checkpoint(fund, size, root, now or datetime.now(UTC))
    checkpoint_id = checkpoint_repo.add(session, checkpoint, signature)
    enqueue(session, outbox, new_event(LEDGER_CHECKPOINT, AUDIT_SOURCE, fund, {"id": checkpoint_id,
                                                                       **to_json(checkpoint, signature)}), key=fund)
    log.info("audit.checkpoint_signed", fund=fund, size=size, checkpoint_id=checkpoint_id)
    return IssuedCheckpoint(checkpoint_id, checkpoint, signature)


def issue_all(session: Session, signer: Signer, now: datetime | None = None) -> list[IssuedCheckpoint]:
    """A checkpoint of every fund with entries."""
    return [issue(session, signer, fund, now) for fund in sorted(ledger_reads.stored_heads(session))]


def issue_due(session: Session, signer: Signer, every_entries: int, every_seconds: float,
              now: datetime | None = None) -> list[IssuedCheckpoint]:
    """Sign each fund whose log grew by every_entries since its last checkpoint, or grew at all and was last
    signed every_seconds ago or never (a trigger at 0 or less is off)."""
    now = now or datetime.now(UTC)
    issued = []
    for fund in sorted(ledger_reads.stored_heads(session)):
        last = checkpoint_repo.latest(session, fund)
        grown = merkle_repo.log_size(session, fund) - (last.size if last else 0)
        by_count = every_entries > 0 and grown >= every_entries
        by_time = every_seconds > 0 and (last is None or now - last.issued_at >= timedelta(seconds=every_seconds))
        if grown > 0 and (by_count or by_time):
            issued.append(issue(session, signer, fund, now))
            grown = 0
        # how long entries have waited unsigned: a quiet fund whose log is all signed is not overdue
        waited = (now - last.issued_at).total_seconds() if grown > 0 and last is not None else 0.0
        metrics.CHECKPOINT_AGE.labels(fund).set(waited)
    return issued


def listed(session: Session, fund: str | None, before_id: int | None, limit: int) -> list[IssuedCheckpoint]:
    """Newest first, with their co-signatures."""
    rows = checkpoint_repo.page(session, fund, before_id, limit)
    cosigned = checkpoint_repo.cosignatures(session, [r.id for r in rows])
    return [_issued(row, cosigned.get(row.id, ())) for row in rows]


def one(session: Session, checkpoint_id: int) -> IssuedCheckpoint:
    row = checkpoint_repo.get(session, checkpoint_id)
    if row is None:
        raise NotFound(f"no checkpoint {checkpoint_id}")
    return _issued(row, checkpoint_repo.cosignatures(session, [row.id]).get(row.id, ()))


def cosign(session: Session, checkpoint_id: int, public_key: str, signature: str,
           now: datetime | None = None) -> tuple[IssuedCheckpoint, bool]:
    """Keep a witness's verified co-signature; returns the checkpoint and whether the co-signature is new."""
    issued = one(session, checkpoint_id)
    try:
        key = load_public_key(public_key)
        check_signature(issued.checkpoint, signature, key)
    except CheckpointInvalid as exc:
        raise ValidationFailed(f"co-signature refused: {exc}",
                               errors=[{"field": "signature", "message": str(exc)}]) from exc
    witness = key_id_of(key)
    if witness == issued.checkpoint.key_id:
        raise ValidationFailed("a witness co-signs with its own key, not the log's",
                               errors=[{"field": "public_key", "message": "this is the log's own key"}])
    created = checkpoint_repo.add_cosignature(session, checkpoint_id, witness, public_key, signature,
                                              now or datetime.now(UTC))
    if created:
        log.info("audit.checkpoint_cosigned", checkpoint_id=checkpoint_id, witness_key_id=witness)
    return one(session, checkpoint_id), created


def _issued(row, cosignatures) -> IssuedCheckpoint:  # type: ignore[no-untyped-def]
    checkpoint = Checkpoint(row.fund, row.size, row.root, row.issued_at, row.key_id)
    return IssuedCheckpoint(row.id, checkpoint, row.signature, tuple(
        Cosignature(c.key_id, c.public_key, c.signature, c.received_at) for c in cosignatures))
