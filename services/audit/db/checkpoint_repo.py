"""Checkpoints as issued (never revised) and the co-signatures witnesses add to them."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.audit.db.merkle_tables import CheckpointRow, CosignatureRow
from shared.bulk import insert_or_ignore
from services.audit.domain.checkpoints import Checkpoint

CHECKPOINTS, COSIGNATURES = CheckpointRow.__table__, CosignatureRow.__table__


def add(session: Session, checkpoint: Checkpoint, signature: str) -> int:
    """Store a signed checkpoint; returns its id."""
    return session.execute(insert(CHECKPOINTS).values(
        fund=checkpoint.fund, size=checkpoint.size, root=checkpoint.root, issued_at=checkpoint.issued_at,
        key_id=checkpoint.key_id, signature=signature).returning(CHECKPOINTS.c.id)).scalar_one()


def get(session: Session, checkpoint_id: int):  # type: ignore[no-untyped-def]
    return session.execute(select(CHECKPOINTS).where(CHECKPOINTS.c.id == checkpoint_id)).one_or_none()


def latest(session: Session, fund: str):  # type: ignore[no-untyped-def]
    query = select(CHECKPOINTS).where(CHECKPOINTS.c.fund == fund).order_by(CHECKPOINTS.c.id.desc()).limit(1)
    return session.execute(query).one_or_none()


def page(session: Session, fund: str | None, before_id: int | None, limit: int) -> list:
    """Newest first, ids below before_id."""
    query = select(CHECKPOINTS).order_by(CHECKPOINTS.c.id.desc()).limit(limit)
    if fund is not None:
        query = query.where(CHECKPOINTS.c.fund == fund)
    if before_id is not None:
        query = query.where(CHECKPOINTS.c.id < before_id)
    return list(session.execute(query))


def add_cosignature(session: Session, checkpoint_id: int, key_id: str, public_key: str, signature: str,
                    received_at: datetime) -> bool:
    """Store a witness's co-signature once per key; False when that key had co-signed already."""
    return insert_or_ignore(session, COSIGNATURES, {
        "checkpoint_id": checkpoint_id, "key_id": key_id, "public_key": public_key, "signature": signature,
        "received_at": received_at}, ["checkpoint_id", "key_id"])


def cosignatures(session: Session, checkpoint_ids: Sequence[int]) -> dict[int, list]:
    found: dict[int, list] = {}
    if checkpoint_ids:
        query = (select(COSIGNATURES).where(COSIGNATURES.c.checkpoint_id.in_(list(checkpoint_ids)))
                 .order_by(COSIGNATURES.c.id))
        for row in session.execute(query):
            found.setdefault(row.checkpoint_id, []).append(row)
    return found
