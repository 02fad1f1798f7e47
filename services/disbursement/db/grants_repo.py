"""Queries on decisions, grants and subject locks (all SQL of deciding lives here)."""

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from services.disbursement.db.tables import DecisionRow, GrantRef, GrantRow, SubjectLock
from services.disbursement.domain.rules import GrantRecord


def lock_subjects(session: Session, refs: list[str]) -> None:
    """Serialise every decision touching these people or organisations (sorted: no deadlocks).

    The rows are created on first use; SELECT .. FOR UPDATE then holds them until the transaction ends,
    so two claims against one cap can never both read the history before either writes its grant.
    """
    if not refs:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(SubjectLock).values([{"ref": r} for r in sorted(refs)]).on_conflict_do_nothing())
    session.execute(select(SubjectLock.ref).where(SubjectLock.ref.in_(sorted(refs))).order_by(SubjectLock.ref)
                    .with_for_update()).all()


def history(session: Session, refs: list[str]) -> list[GrantRecord]:
    if not refs:
        return []
    claim_ids = select(GrantRef.claim_id).where(GrantRef.ref.in_(refs))
    rows = session.execute(
        select(GrantRow.record).where(GrantRow.claim_id.in_(claim_ids), GrantRow.active.is_(True))
        .order_by(GrantRow.id)
    ).scalars()
    return [GrantRecord.model_validate(record) for record in rows]


def add_grant(session: Session, record: GrantRecord, created_at) -> None:  # type: ignore[no-untyped-def]
    session.add(GrantRow(claim_id=record.claim_id, programme=record.programme, policy_id=record.policy_id,
                         fund=record.fund, beneficiary_ref=record.beneficiary_ref, subject_ref=record.subject_ref,
                         qualifying_key=record.qualifying_key, qualifying_date=record.qualifying_date,
                         amount_fen=record.amount_fen, record=record.model_dump(mode="json"), active=True,
                         created_at=created_at))
    for ref in sorted(set(record.lookup_refs) | {record.subject_ref}):
        session.add(GrantRef(claim_id=record.claim_id, ref=ref))


def decision_for(session: Session, claim_id: str) -> DecisionRow | None:
    return session.get(DecisionRow, claim_id)
