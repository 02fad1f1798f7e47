"""Queries on claims and their history (all SQL of the applications service lives here)."""

import functools

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from services.applications.db.tables import ClaimHistoryRow, ClaimRow


def by_claim_id(session: Session, claim_id: str, *, for_update: bool = False) -> ClaimRow | None:
    query = select(ClaimRow).where(ClaimRow.claim_id == claim_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def lock_many(session: Session, claim_ids: list[str]) -> dict[str, ClaimRow]:
    """These claims, locked FOR UPDATE in claim id order (two consumers locking overlapping sets cannot deadlock)."""
    query = select(ClaimRow).where(ClaimRow.claim_id.in_(claim_ids)).order_by(ClaimRow.claim_id).with_for_update()
    return {row.claim_id: row for row in session.execute(query).scalars()}


def by_idempotency_key(session: Session, applicant_sub: str, key: str) -> ClaimRow | None:
    query = select(ClaimRow).where(ClaimRow.applicant_sub == applicant_sub, ClaimRow.idempotency_key == key)
    return session.execute(query).scalar_one_or_none()


def insert_unless_key_taken(session: Session, values: dict) -> bool:
    """INSERT .. ON CONFLICT DO NOTHING on (applicant, key): one round trip, and a concurrent duplicate waits
    for the first insert's transaction, then finds the key taken. True when this call inserted the claim."""
    return session.execute(_insert_claim(session.get_bind().dialect.name), values).rowcount == 1


def add_history(session: Session, values: dict) -> None:
    session.execute(_insert_history(), values)


# Built once (values go as parameters): intake is the hot path, and building a statement costs more than running it.
@functools.cache
def _insert_claim(dialect: str):  # type: ignore[no-untyped-def]
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(ClaimRow.__table__).on_conflict_do_nothing(index_elements=["applicant_sub", "idempotency_key"])


@functools.cache
def _insert_history():  # type: ignore[no-untyped-def]
    return insert(ClaimHistoryRow.__table__)


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
