"""Findings as auditors work them: status with its history, recoveries, and the system's re-judgement of a group.

A status change and its history row are written together; "system" is the actor when a re-judged group no
longer yields a finding (closed as resolved) or yields again one the system had closed (reopened).
"""

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.audit.db.finding_work_tables import FindingRecoveryRow, FindingStatusChangeRow
from services.audit.db.review_repo import FINDINGS, finding_row
from services.audit.db.review_tables import FindingRow
from services.audit.domain.anomalies.findings import Finding
from shared.bulk import among, insert_many

CHANGES, RECOVERIES = FindingStatusChangeRow.__table__, FindingRecoveryRow.__table__
SYSTEM = "system"
STILL_OPEN = ("open", "acknowledged")  # what the system may close; an auditor's resolved or false_positive stays
NO_LONGER_HOLDS = "condition no longer holds on the events received so far"
HOLDS_AGAIN = "condition holds again on the events received so far"


def finding_by_key(session: Session, finding_key: str) -> FindingRow | None:
    return session.execute(select(FindingRow).where(FindingRow.finding_key == finding_key)).scalar_one_or_none()


def set_status(session: Session, finding_ids: Sequence[int], status: str, *, actor: str, role: str, note: str,
               at: datetime) -> None:
    """Move these findings to status, each change kept with who, when and why."""
    if not finding_ids:
        return
    before = dict(session.execute(select(FINDINGS.c.id, FINDINGS.c.status)
                                  .where(among(session, FINDINGS.c.id, list(finding_ids)))).all())
    session.execute(update(FINDINGS).where(among(session, FINDINGS.c.id, list(before)))
                    .values(status=status, status_by=actor, status_at=at, status_note=note))
    insert_many(session, CHANGES, [{"finding_id": fid, "from_status": old, "status": status, "actor": actor,
                                    "role": role, "note": note, "at": at} for fid, old in sorted(before.items())])


def history(session: Session, finding_id: int) -> list[FindingStatusChangeRow]:
    query = select(FindingStatusChangeRow).where(FindingStatusChangeRow.finding_id == finding_id)
    return list(session.execute(query.order_by(FindingStatusChangeRow.id)).scalars())


def add_recovery(session: Session, finding_id: int, *, amount_fen: int, entry_id: str, note: str, by: str,
                 at: datetime) -> None:
    insert_many(session, RECOVERIES, [{"finding_id": finding_id, "amount_fen": amount_fen, "entry_id": entry_id,
                                       "note": note, "recorded_by": by, "recorded_at": at}])


def recoveries(session: Session, finding_id: int) -> list[FindingRecoveryRow]:
    query = select(FindingRecoveryRow).where(FindingRecoveryRow.finding_id == finding_id)
    return list(session.execute(query.order_by(FindingRecoveryRow.id)).scalars())


def settle_scopes(session: Session, judged: Mapping[str, tuple[Sequence[str], Sequence[Finding]]],
                  at: datetime) -> dict[str, int]:
    """Store what judging groups found (scope key -> (the group's rules, its findings)), and close (or reopen)
    the groups' findings that stopped (or started again) to hold; a few statements for any number of groups.
    Returns counts of new, closed and reopened findings."""
    if not judged:
        return {"new": 0, "closed": 0, "reopened": 0}
    scoped = {f.finding_key: (f, key) for key, (_, found) in judged.items() for f in found}
    new = len(insert_many(session, FINDINGS, [
        {**finding_row(f, at), "scope_key": key} for f, key in scoped.values()],
        conflict_on=["finding_key"], returning="finding_key"))
    if scoped:  # a finding stored before findings knew their group (or by the per-event path) joins it
        unscoped = session.execute(select(FINDINGS.c.finding_key).where(
            among(session, FINDINGS.c.finding_key, list(scoped)), FINDINGS.c.scope_key.is_(None))).scalars().all()
        for finding_key in unscoped:
            session.execute(update(FINDINGS).where(FINDINGS.c.finding_key == finding_key)
                            .values(scope_key=scoped[finding_key][1]))
    rows = session.execute(select(FINDINGS.c.id, FINDINGS.c.finding_key, FINDINGS.c.rule, FINDINGS.c.scope_key,
                                  FINDINGS.c.status, FINDINGS.c.status_by)
                           .where(among(session, FINDINGS.c.scope_key, list(judged)))).all()
    rows = [r for r in rows if r.rule in judged[r.scope_key][0]]
    closing = [r.id for r in rows if r.finding_key not in scoped and r.status in STILL_OPEN]
    reopening = [r.id for r in rows if r.finding_key in scoped and r.status == "resolved" and r.status_by == SYSTEM]
    set_status(session, closing, "resolved", actor=SYSTEM, role=SYSTEM, note=NO_LONGER_HOLDS, at=at)
    set_status(session, reopening, "open", actor=SYSTEM, role=SYSTEM, note=HOLDS_AGAIN, at=at)
    return {"new": new, "closed": len(closing), "reopened": len(reopening)}
