"""Queries on claims and their history (all SQL of the applications service lives here)."""

import functools
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from services.applications.db.tables import ClaimHistoryRow, ClaimRow
from services.applications.domain.search_index import decision_columns
from shared.bulk import insert_many, insert_or_ignore

if TYPE_CHECKING:
    from services.applications.domain.search_index import ClaimFilters

CLAIMS = ClaimRow.__table__


def by_claim_id(session: Session, claim_id: str, *, for_update: bool = False) -> ClaimRow | None:
    query = select(ClaimRow).where(ClaimRow.claim_id == claim_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def lock_states(session: Session, claim_ids: list[str]) -> dict[str, tuple[str, str | None]]:
    """claim id -> (status, payment batch id) of these claims, locked FOR UPDATE in claim id order (two
    consumers locking overlapping sets cannot deadlock)."""
    query = (select(CLAIMS.c.claim_id, CLAIMS.c.status, CLAIMS.c.payment_batch_id)
             .where(CLAIMS.c.claim_id.in_(claim_ids)).order_by(CLAIMS.c.claim_id).with_for_update())
    return {claim_id: (status, batch) for claim_id, status, batch in session.execute(query)}


def move_claims(session: Session, changes: list[dict]) -> None:
    """Apply status changes made in this order: {claim_id, status, updated_at, decision,
    review_state, payment_batch_id (each None: unchanged)}.

    A claim moved twice (decided, then batched) is written once, in its final state."""
    final: dict[str, dict] = {}
    for change in changes:
        row = final.setdefault(change["claim_id"], {"key": change["claim_id"], "decision": None})
        row.update(status=change["status"], updated_at=change["updated_at"])
        if change["decision"] is not None:
            row.update(decision=change["decision"], **decision_columns(change["decision"]))
        if change.get("review_state") is not None:
            row["review_state"] = change["review_state"]
        if change.get("payment_batch_id") is not None:
            row["payment_batch_id"] = change["payment_batch_id"]
    # one executemany per shape of change: every row of a statement sets the same columns
    by_shape: dict[tuple[str, ...], list[dict]] = {}
    for row in final.values():
        values = {k: v for k, v in row.items() if v is not None or k not in ("decision", "review_state", "payment_batch_id")}
        by_shape.setdefault(tuple(sorted(values)), []).append(values)
    statement = update(CLAIMS).where(CLAIMS.c.claim_id == bindparam("key"))
    for rows in by_shape.values():
        session.execute(statement, rows)


def by_idempotency_key(session: Session, applicant_sub: str, key: str) -> ClaimRow | None:
    query = select(ClaimRow).where(ClaimRow.applicant_sub == applicant_sub, ClaimRow.idempotency_key == key)
    return session.execute(query).scalar_one_or_none()


def insert_unless_key_taken(session: Session, values: dict) -> bool:
    """INSERT .. ON CONFLICT DO NOTHING on (applicant, key): one round trip, and a concurrent duplicate waits
    for the first insert's transaction, then finds the key taken. True when this call inserted the claim."""
    return insert_or_ignore(session, CLAIMS, values, ["applicant_sub", "idempotency_key"])


def add_history(session: Session, rows: dict | list[dict]) -> None:
    """One status change (intake's hot path: a statement built once), or a consumer batch's (one statement)."""
    if isinstance(rows, dict):
        session.execute(_insert_history(), rows)
    else:
        insert_many(session, ClaimHistoryRow.__table__, rows)


# Built once (values go as parameters): intake is the hot path, and building a statement costs more than running it.
@functools.cache
def _insert_history():  # type: ignore[no-untyped-def]
    return insert(ClaimHistoryRow.__table__)


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


def search(session: Session, filters: "ClaimFilters", after_id: int, limit: int) -> list[ClaimRow]:
    """Claims matching every filter given, oldest first (row id keyset)."""
    query = select(ClaimRow).where(ClaimRow.id > after_id)
    for column, value in (("applicant_sub", filters.applicant_sub), ("status", filters.status),
                          ("programme", filters.programme), ("fund", filters.fund),
                          ("jurisdiction", filters.jurisdiction), ("policy_id", filters.policy_id),
                          ("beneficiary_ref", filters.beneficiary_ref), ("review_state", filters.review)):
        if value is not None:
            query = query.where(getattr(ClaimRow, column) == value)
    if filters.reason is not None:
        query = query.where(ClaimRow.reason_codes.like(f"% {filters.reason} %"))
    if filters.filed_from is not None:
        query = query.where(ClaimRow.submitted_at >= filters.filed_from)
    if filters.filed_before is not None:
        query = query.where(ClaimRow.submitted_at < filters.filed_before)
    return list(session.execute(query.order_by(ClaimRow.id).limit(limit)).scalars())
