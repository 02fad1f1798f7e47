"""Officers' controls on claims (issue 14): confirming a payee account changed after a failed payment,
re-deciding rejected claims (one on review, or in bulk once a parameter is set)."""

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Body, Request
from pydantic import BaseModel, ConfigDict, Field

from services.disbursement.api.routes import DB
from services.disbursement.service.payee_change_acceptance import confirm_payee_change
from services.disbursement.service.reevaluations import (redecisions_of, reevaluation, review_rejection,
                                                        run_reevaluation, start_reevaluation)
from shared.money import CURRENCY, format_fen
from shared.web.openapi import problems
from shared.web.runtime import get_runtime
from shared.web.security import Officer, Staff

if TYPE_CHECKING:
    from services.disbursement.db.review_tables import RedecisionRow, ReevaluationRow

router = APIRouter(tags=["claims"])


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PayeeConfirmation(_Request):
    note: str | None = Field(default=None, min_length=1, max_length=500)


@router.post("/v1/claims/{claim_id}/payee-confirmations", responses=problems(404, 409))
def post_payee_confirmation(claim_id: str, caller: Officer, db: DB,
                            body: Annotated[PayeeConfirmation | None, Body()] = None) -> dict[str, Any]:
    """An officer confirms the claimant's new payee account (409 unless one awaits confirmation)."""
    decision = confirm_payee_change(db, claim_id=claim_id, officer=caller, note=body.note if body else None)
    return {"claim_id": decision.claim_id, "status": decision.status, "payee_ref": decision.payee_ref,
            "confirmed_by": caller.sub}


class Reevaluation(_Request):
    parameter_id: str = Field(min_length=1, max_length=200)


class Redecision(_Request):
    note: str | None = Field(default=None, min_length=1, max_length=500)


@router.post("/v1/reevaluations", status_code=202, tags=["parameters"], responses=problems(404, 409))
def post_reevaluation(request: Request, caller: Officer, db: DB, tasks: BackgroundTasks,
                      body: Annotated[Reevaluation, Body()]) -> dict[str, Any]:
    """Re-decide every claim rejected with PARAMETER_NOT_SET for a parameter now set; follow its progress
    at GET /v1/reevaluations/{id}."""
    runtime = get_runtime(request)
    row, claim_ids = start_reevaluation(db, catalog=request.app.state.catalog, parameter_id=body.parameter_id,
                                        officer=caller)
    if claim_ids:  # after the response (and this request's commit): the run is recorded before it starts
        tasks.add_task(run_reevaluation, runtime.engine, reevaluation_id=row.reevaluation_id, claim_ids=claim_ids,
                       source=request.app.state.claim_source, catalog=request.app.state.catalog,
                       pii_key=runtime.settings.grants_pii_key, officer=caller)
    return _reevaluation_json(row)


@router.get("/v1/reevaluations/{reevaluation_id}", tags=["parameters"], responses=problems(404))
def get_reevaluation(reevaluation_id: str, caller: Staff, db: DB) -> dict[str, Any]:
    return _reevaluation_json(reevaluation(db, reevaluation_id))


@router.post("/v1/claims/{claim_id}/redecisions", responses=problems(404, 409, 503))
def post_redecision(claim_id: str, request: Request, caller: Officer, db: DB,
                    body: Annotated[Redecision | None, Body()] = None) -> dict[str, Any]:
    """An officer re-runs the engine on a rejected claim (a review); the applicant sees the new decision."""
    runtime = get_runtime(request)
    record = review_rejection(db, claim_id=claim_id, source=request.app.state.claim_source,
                              catalog=request.app.state.catalog, pii_key=runtime.settings.grants_pii_key,
                              officer=caller, note=body.note if body else None)
    return _redecision_json(record)


@router.get("/v1/claims/{claim_id}/redecisions")
def list_redecisions(claim_id: str, caller: Staff, db: DB) -> dict[str, Any]:
    """Every re-decision of the claim (bulk or on review): who, when, under which catalog, from what to what."""
    return {"items": [_redecision_json(r) for r in redecisions_of(db, claim_id)], "next_cursor": None}


def _redecision_json(record: "RedecisionRow") -> dict[str, Any]:
    return {"claim_id": record.claim_id, "trigger": record.trigger, "reevaluation_id": record.reevaluation_id,
            "from_outcome": record.from_outcome, "outcome": record.to_outcome, "amount": format_fen(record.amount_fen),
            "currency": CURRENCY, "decided_by": record.decided_by, "decided_role": record.decided_role,
            "decided_at": record.decided_at.isoformat(), "catalog_hash": record.catalog_hash, "note": record.note}


def _reevaluation_json(row: "ReevaluationRow") -> dict[str, Any]:
    return {"reevaluation_id": row.reevaluation_id, "parameter_id": row.parameter_id, "status": row.status,
            "requested_by": row.requested_by, "requested_at": row.requested_at.isoformat(), "total": row.total,
            "done": row.done, "now_eligible": row.now_eligible, "still_rejected": row.still_rejected,
            "finished_at": row.finished_at.isoformat() if row.finished_at else None, "error": row.error}
