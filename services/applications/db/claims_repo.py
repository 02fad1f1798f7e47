"""Queries on claims and their history (all SQL of the applications service lives here)."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from services.applications.db.tables import ClaimHistoryRow, ClaimRow


def by_claim_id(session: Session, claim_id: str, *, for_update: bool = False) -> ClaimRow | None:
    query = select(ClaimRow).where(ClaimRow.claim_id == claim_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def by_idempotency_key(session: Session, applicant_sub: str, key: str) -> ClaimRow | None:
    query = select(ClaimRow).where(ClaimRow.applicant_sub == applicant_sub, ClaimRow.idempotency_key == key)
    return session.execute(query).scalar_one_or_none()


def insert_unless_key_taken(session: Session, values: dict) -> bool:
    """INSERT .. ON CONFLICT DO NOTHING on (applicant, key): one round trip, and a concurrent duplicate waits
    for the first insert's transaction, then finds the key taken. True when this call inserted the claim."""
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(ClaimRow).values(**values)
    statement = statement.on_conflict_do_nothing(index_elements=["applicant_sub", "idempotency_key"])
    return session.execute(statement).rowcount == 1


def page_for_applicant(session: Session, applicant_sub: str, after_id: int, limit: int) -> list[ClaimRow]:
    query = (select(ClaimRow).where(ClaimRow.applicant_sub == applicant_sub, ClaimRow.id > after_id)
             .order_by(ClaimRow.id).limit(limit))
    return list(session.execute(query).scalars())


def history(session: Session, claim_ids: list[str]) -> dict[str, list[ClaimHistoryRow]]:
    rows = session.execute(
        select(ClaimHistoryRow).where(ClaimHistoryRow.claim_id.in_(claim_ids)).order_by(ClaimHistoryRow.id)
    ).scalars()
    out: dict[str, list[ClaimHistoryRow]] = {cid: [] for cid in claim_ids}
    for row in rows:
        out[row.claim_id].append(row)
    return out


def by_claim_ids(session: Session, claim_ids: list[str]) -> list[ClaimRow]:
    return list(session.execute(select(ClaimRow).where(ClaimRow.claim_id.in_(claim_ids))).scalars())
