"""Auditors working their findings: a status with who, when and why (each change kept), and recoveries (追回)
of overpaid money, each naming the ledger entry that returns it."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from services.audit.db import finding_work_repo, ledger_reads
from services.audit.db.finding_work_tables import FindingRecoveryRow, FindingStatusChangeRow
from services.audit.db.review_tables import FindingRow
from shared.auth import Principal
from shared.errors import Conflict, NotFound, invalid


@dataclass(frozen=True)
class FindingRecord:
    finding: FindingRow
    history: list[FindingStatusChangeRow]
    recoveries: list[FindingRecoveryRow]


def finding_record(session: Session, finding_id: str) -> FindingRecord:
    row = _finding(session, finding_id)
    return FindingRecord(row, finding_work_repo.history(session, row.id),  # type: ignore[arg-type]
                         finding_work_repo.recoveries(session, row.id))  # type: ignore[arg-type]


def change_status(session: Session, finding_id: str, status: str, note: str, by: Principal) -> FindingRecord:
    row = _finding(session, finding_id)
    if row.status == status:
        raise Conflict(f"finding {finding_id} is {status} already", status_now=status)
    finding_work_repo.set_status(session, [row.id], status, actor=by.sub, role=by.role, note=note,  # type: ignore[list-item]
                                 at=datetime.now(UTC))
    session.flush()
    session.refresh(row)
    return finding_record(session, finding_id)


def record_recovery(session: Session, finding_id: str, *, amount_fen: int, entry_id: str, note: str,
                    by: Principal) -> FindingRecord:
    row = _finding(session, finding_id)
    if not ledger_reads.entry_exists(session, entry_id):
        raise invalid("entry_id", "no ledger entry has this id")
    finding_work_repo.add_recovery(session, row.id, amount_fen=amount_fen, entry_id=entry_id, note=note,  # type: ignore[arg-type]
                                   by=by.sub, at=datetime.now(UTC))
    session.flush()
    return finding_record(session, finding_id)


def _finding(session: Session, finding_id: str) -> FindingRow:
    row = finding_work_repo.finding_by_key(session, finding_id)
    if row is None:
        raise NotFound(f"no finding {finding_id}")
    return row
