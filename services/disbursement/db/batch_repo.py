"""Queries on batches, their items, approvals and transitions (all SQL of batching lives here)."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlmodel import Session

from services.disbursement.db.batch_tables import BatchApprovalRow, BatchItemRow, BatchRow, BatchTransitionRow
from services.disbursement.db.tables import DecisionRow, GrantRow
from shared.bulk import insert_many
from shared.subjects import subject_key

CHUNK = 1000  # rows per multi-row statement: far below any driver's parameter limit


def lock_decisions(session: Session, claim_ids: list[str]) -> list[DecisionRow]:
    """The decisions of these claims, locked until the transaction ends (sorted: no deadlocks)."""
    rows: list[DecisionRow] = []
    for chunk in _chunks(sorted(set(claim_ids))):
        query = select(DecisionRow).where(DecisionRow.claim_id.in_(chunk)).order_by(DecisionRow.claim_id)
        rows.extend(session.execute(query.with_for_update()).scalars())
    return rows


def eligible_ids(session: Session, fund: str, programme: str | None, limit: int) -> list[str]:
    """Claim ids of eligible decisions of a fund (and programme), oldest first, unlocked: the caller
    locks them with lock_decisions (always in claim id order) and keeps those still eligible."""
    query = select(DecisionRow.claim_id).where(DecisionRow.status == "eligible", DecisionRow.fund == fund)
    if programme is not None:
        query = query.where(DecisionRow.programme == programme)
    query = query.order_by(DecisionRow.decided_at, DecisionRow.claim_id).limit(limit)
    return list(session.execute(query).scalars())


def add_items(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_many(session, BatchItemRow.__table__, rows, chunk=CHUNK)


def set_decision_status(session: Session, claim_ids: Iterable[str], status: str) -> None:
    """Bulk status change. Decision objects already loaded in the session are not refreshed (evaluating the
    criteria against 10,000 of them costs seconds); callers do not read their status afterwards."""
    for chunk in _chunks(sorted(claim_ids)):
        session.execute(update(DecisionRow).where(DecisionRow.claim_id.in_(chunk)).values(status=status)
                        .execution_options(synchronize_session=False))


def lock_batch(session: Session, batch_id: str) -> BatchRow | None:
    query = select(BatchRow).where(BatchRow.batch_id == batch_id).with_for_update()
    return session.execute(query).scalar_one_or_none()


def batch(session: Session, batch_id: str) -> BatchRow | None:
    return session.get(BatchRow, batch_id)


def page(session: Session, *, status: str | None, fund: str | None, after: str | None, limit: int) -> list[BatchRow]:
    """Batches newest first; the cursor is (created_at, batch_id) of the last one shown."""
    query: Select = select(BatchRow)
    if status:
        query = query.where(BatchRow.status == status)
    if fund:
        query = query.where(BatchRow.fund == fund)
    if after:
        query = query.where(BatchRow.batch_id < after)
    return list(session.execute(query.order_by(BatchRow.batch_id.desc()).limit(limit)).scalars())


def counted_items(session: Session, batch_id: str) -> list[BatchItemRow]:
    """The items that make up the batch (not removed), in the order they were added."""
    query = select(BatchItemRow).where(BatchItemRow.batch_id == batch_id, BatchItemRow.removed_at.is_(None))
    return list(session.execute(query.order_by(BatchItemRow.id)).scalars())


def held_item(session: Session, batch_id: str, claim_id: str) -> BatchItemRow | None:
    query = select(BatchItemRow).where(BatchItemRow.batch_id == batch_id, BatchItemRow.claim_id == claim_id,
                                       BatchItemRow.removed_at.is_(None), BatchItemRow.released_at.is_(None))
    return session.execute(query).scalar_one_or_none()


def release_items(session: Session, batch_id: str, at: datetime, claim_ids: list[str] | None = None) -> None:
    """The batch stops holding these claims (all of them when claim_ids is None)."""
    base = update(BatchItemRow).where(BatchItemRow.batch_id == batch_id, BatchItemRow.released_at.is_(None))
    if claim_ids is None:
        session.execute(base.values(released_at=at))
        return
    for chunk in _chunks(sorted(claim_ids)):
        session.execute(base.where(BatchItemRow.claim_id.in_(chunk)).values(released_at=at))


def issue_rows(session: Session, batch_id: str) -> list[Any]:
    """What a payment and its event are made of, per counted item (columns, not objects: 10,000 rows)."""
    query = (select(BatchItemRow.claim_id, BatchItemRow.programme, BatchItemRow.policy_id, BatchItemRow.amount_fen,
                    BatchItemRow.payee_ref, DecisionRow.status, DecisionRow.beneficiary_ref, DecisionRow.clause,
                    DecisionRow.qualifying_key, DecisionRow.qualifying_date, DecisionRow.payee_name_matches,
                    GrantRow.record)
             .join(DecisionRow, DecisionRow.claim_id == BatchItemRow.claim_id)
             .outerjoin(GrantRow, GrantRow.claim_id == BatchItemRow.claim_id)
             .where(BatchItemRow.batch_id == batch_id, BatchItemRow.removed_at.is_(None))
             .order_by(BatchItemRow.id))
    return list(session.execute(query).all())


def approvals(session: Session, batch_id: str) -> list[BatchApprovalRow]:
    query = select(BatchApprovalRow).where(BatchApprovalRow.batch_id == batch_id)
    return list(session.execute(query.order_by(BatchApprovalRow.approved_at)).scalars())


def approved_on(session: Session, checker: str, business_day) -> int:  # type: ignore[no-untyped-def]
    """Fen this checker signed for on a China calendar day, keyed on the normalised subject (shared.subjects;
    lower() also finds rows recorded before subjects were normalised)."""
    query = select(func.coalesce(func.sum(BatchApprovalRow.total_fen), 0)).where(
        func.lower(BatchApprovalRow.checker) == subject_key(checker.strip()),
        BatchApprovalRow.business_day == business_day)
    return int(session.execute(query).scalar_one())


def transitions(session: Session, batch_id: str) -> list[BatchTransitionRow]:
    query = select(BatchTransitionRow).where(BatchTransitionRow.batch_id == batch_id)
    return list(session.execute(query.order_by(BatchTransitionRow.id)).scalars())


def _chunks(items: list) -> Iterable[list]:  # type: ignore[type-arg]
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def item_decisions(session: Session, claim_ids: list[str]) -> dict[str, DecisionRow]:
    """The decisions behind a batch's items (their clause, reasons and computation), by claim id."""
    found: dict[str, DecisionRow] = {}
    for chunk in _chunks(sorted(set(claim_ids))):
        found.update({row.claim_id: row for row in
                      session.execute(select(DecisionRow).where(DecisionRow.claim_id.in_(chunk))).scalars()})
    return found
