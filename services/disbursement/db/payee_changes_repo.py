"""Queries on payee changes awaiting (or given) an officer's confirmation."""

from sqlalchemy import func, select
from sqlmodel import Session

from services.disbursement.db.review_tables import PayeeChangeRow


def add(session: Session, row: PayeeChangeRow) -> None:
    session.add(row)


def unconfirmed(session: Session, claim_id: str) -> PayeeChangeRow | None:
    """The claim's latest change not yet confirmed (locked: two officers confirming queue on it)."""
    query = (select(PayeeChangeRow).where(PayeeChangeRow.claim_id == claim_id, PayeeChangeRow.confirmed_at.is_(None))
             .order_by(PayeeChangeRow.id.desc()).limit(1).with_for_update())
    return session.execute(query).scalar_one_or_none()


def counts(session: Session, claim_ids: list[str]) -> dict[str, int]:
    """claim id -> how many times its payee account was changed after a failed payment."""
    if not claim_ids:
        return {}
    query = (select(PayeeChangeRow.claim_id, func.count()).where(PayeeChangeRow.claim_id.in_(claim_ids))
             .group_by(PayeeChangeRow.claim_id))
    return {claim_id: int(n) for claim_id, n in session.execute(query)}
