"""Working a finding: GET /v1/anomalies/{finding_id}, POST …/status and POST …/recoveries (role auditor).

finding_id is the finding's finding_key, as GET /v1/anomalies lists it.
"""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from services.audit.api.deps import DB, Auditor
from services.audit.api.schemas import FindingOut, finding_out
from services.audit.domain.chain import format_utc
from services.audit.service import finding_work
from shared.auth import Principal
from shared.errors import invalid
from shared.money import CURRENCY, format_fen, parse_fen
from shared.web.security import current_principal, require_role

router = APIRouter(prefix="/v1/anomalies", tags=["anomalies"])
FindingId = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="the finding's finding_key")]


def auditor_only(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    return require_role(principal, "auditor")


Worker = Annotated[Principal, Depends(auditor_only)]


class StatusIn(BaseModel):
    status: Literal["open", "acknowledged", "resolved", "false_positive"]
    note: str = Field(min_length=1, max_length=2000)


class RecoveryIn(BaseModel):
    amount: str
    entry_id: str = Field(min_length=1, max_length=36)
    note: str = Field(default="", max_length=2000)


class StatusChangeOut(BaseModel):
    from_status: str
    status: str
    actor: str
    role: str
    note: str
    at: str


class RecoveryOut(BaseModel):
    amount: str
    currency: str = CURRENCY
    entry_id: str
    note: str
    recorded_by: str
    recorded_at: str


class FindingRecordOut(FindingOut):
    history: list[StatusChangeOut]
    recoveries: list[RecoveryOut]
    recovered: str  # the recoveries' sum


def record_out(record: finding_work.FindingRecord) -> FindingRecordOut:
    history = [StatusChangeOut(from_status=h.from_status, status=h.status, actor=h.actor, role=h.role, note=h.note,
                               at=format_utc(h.at)) for h in record.history]
    recoveries = [RecoveryOut(amount=format_fen(r.amount_fen), entry_id=r.entry_id, note=r.note,
                              recorded_by=r.recorded_by, recorded_at=format_utc(r.recorded_at))
                  for r in record.recoveries]
    return FindingRecordOut(**finding_out(record.finding).model_dump(), history=history, recoveries=recoveries,
                            recovered=format_fen(sum(r.amount_fen for r in record.recoveries)))


@router.get("/{finding_id}", response_model=FindingRecordOut)
def get_finding(_: Auditor, db: DB, finding_id: FindingId) -> FindingRecordOut:
    """One finding with its status history and recoveries (roles auditor, admin)."""
    return record_out(finding_work.finding_record(db, finding_id))


@router.post("/{finding_id}/status", response_model=FindingRecordOut)
def set_status(caller: Worker, db: DB, finding_id: FindingId, body: StatusIn) -> FindingRecordOut:
    """Move the finding to a status, with a note; every change is kept in its history."""
    return record_out(finding_work.change_status(db, finding_id, body.status, body.note, caller))


@router.post("/{finding_id}/recoveries", response_model=FindingRecordOut, status_code=201)
def add_recovery(caller: Worker, db: DB, finding_id: FindingId, body: RecoveryIn) -> FindingRecordOut:
    """Record money recovered (追回) against the finding, with the ledger entry that returns it to the fund."""
    try:
        amount_fen = parse_fen(body.amount)
    except ValueError as exc:
        raise invalid("amount", str(exc)) from exc
    if amount_fen <= 0:
        raise invalid("amount", "must be positive")
    return record_out(finding_work.record_recovery(db, finding_id, amount_fen=amount_fen, entry_id=body.entry_id,
                                                   note=body.note, by=caller))
