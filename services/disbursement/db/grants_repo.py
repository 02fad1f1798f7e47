"""Queries on decisions, grants and subject locks (all SQL of deciding lives here)."""

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from services.disbursement.db.tables import DecisionRow, GrantRef, GrantRow, SubjectLock
from services.disbursement.domain.rules import GrantRecord
from shared.bulk import insert_many, lock_keys


def lock_subjects(session: Session, refs: list[str]) -> None:
    """Serialise every decision touching these people or organisations (sorted: no deadlocks).

    The rows are created on first use; SELECT .. FOR UPDATE then holds them until the transaction ends,
    so two claims against one cap can never both read the history before either writes its grant.
    """
    lock_keys(session, SubjectLock.__table__, "ref", refs)


def grants_by_ref(session: Session, refs: list[str]) -> list[tuple[GrantRecord, set[str]]]:
    """The active grants findable by any of these refs, oldest first, each with the refs it was found by."""
    if not refs:
        return []
    rows = session.execute(
        select(GrantRow.id, GrantRow.record, GrantRow.covered_months, GrantRef.ref)
        .join(GrantRef, GrantRef.claim_id == GrantRow.claim_id)
        .where(GrantRef.ref.in_(refs), GrantRow.active.is_(True)).order_by(GrantRow.id))
    found: dict[int, tuple[GrantRecord, set[str]]] = {}
    for grant_id, record, months, ref in rows:
        if grant_id not in found:  # the months column is what a months cap counts
            found[grant_id] = (GrantRecord.model_validate({**record, "months": months or []}), set())
        found[grant_id][1].add(ref)
    return list(found.values())


def history(session: Session, refs: list[str]) -> list[GrantRecord]:
    return [record for record, _ in grants_by_ref(session, refs)]


def refs_of(record: GrantRecord) -> set[str]:
    """Every ref a grant is findable by: its subject and the parties in its lookup refs."""
    return set(record.lookup_refs) | {record.subject_ref}


def add_decisions(session: Session, rows: list[dict]) -> None:
    insert_many(session, DecisionRow.__table__, rows)


def add_grants(session: Session, granted: list[tuple[GrantRecord, datetime]]) -> None:
    """Store grants (in this order: their ids are the order history reads them in) and every ref they are found by."""
    insert_many(session, GrantRow.__table__, [dict(
        claim_id=record.claim_id, programme=record.programme, policy_id=record.policy_id, fund=record.fund,
        beneficiary_ref=record.beneficiary_ref, subject_ref=record.subject_ref, qualifying_key=record.qualifying_key,
        qualifying_date=record.qualifying_date, amount_fen=record.amount_fen, record=record.model_dump(mode="json"),
        covered_months=record.months, active=True, created_at=created_at) for record, created_at in granted])
    insert_many(session, GrantRef.__table__, [{"claim_id": record.claim_id, "ref": ref}
                                              for record, _ in granted for ref in sorted(refs_of(record))])


def decided_claim_ids(session: Session, claim_ids: list[str]) -> set[str]:
    if not claim_ids:
        return set()
    return set(session.execute(select(DecisionRow.claim_id).where(DecisionRow.claim_id.in_(claim_ids))).scalars())


def deactivate(session: Session, claim_id: str) -> None:
    """The claim's grant no longer counts against caps and exclusivity (the claim was withdrawn)."""
    session.execute(update(GrantRow).where(GrantRow.claim_id == claim_id).values(active=False)
                    .execution_options(synchronize_session=False))
