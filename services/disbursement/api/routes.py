"""Disbursement routes: the policy catalog and what-if evaluations (contract §4)."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from services.disbursement.api.catalog_view import programme_items
from services.disbursement.service.claim_evaluation import what_if as evaluate_what_if
from services.disbursement.api.responses import EvaluationOut, ProgrammePage
from shared.claims import ClaimInvalid, parse_claim
from shared.claims.documented import evaluation_request_schema
from shared.errors import ValidationFailed
from shared.pagination import slice_page
from shared.web.query import Cursor, Limit
from shared.web.runtime import DBSession, get_runtime
from shared.web.openapi import json_body
from shared.web.security import Caller, OfficerOrAdmin

router = APIRouter()
DB = DBSession


@router.get("/v1/programmes", tags=["catalog"], response_model=ProgrammePage)
def list_programmes(request: Request, caller: Caller, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Every programme per policy, with its dated parameters, fund, caps, exclusivity groups and clauses."""
    catalog = request.app.state.catalog
    items, next_cursor = slice_page(programme_items(catalog), limit, cursor)
    return {"items": items, "next_cursor": next_cursor, "catalog_hash": catalog.content_hash}


@router.post("/v1/evaluations", tags=["catalog"], response_model=EvaluationOut,
             openapi_extra=json_body(evaluation_request_schema()))
def what_if(request: Request, caller: OfficerOrAdmin, db: DB, data: Annotated[Any, Body()] = None) -> dict[str, Any]:
    """The decision a claim would get now (or as of a date, with parameter overrides); nothing is persisted."""
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", errors=[{"field": "body", "message": "not a JSON object"}])
    body = dict(data)
    as_of = _as_of(body.pop("as_of", None))  # None: the decider's date for a claim filed now
    overrides = body.pop("parameters", None)
    if overrides is not None and not (isinstance(overrides, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in overrides.items())):
        raise ValidationFailed("parameters must map parameter ids to decimal strings",
                               errors=[{"field": "parameters", "message": "an object of string values"}])
    try:
        claim = parse_claim(body)
    except ClaimInvalid as exc:
        raise ValidationFailed(str(exc)[:1000], errors=exc.errors) from exc
    runtime = get_runtime(request)
    decision, as_of = evaluate_what_if(db, claim=claim, catalog=request.app.state.catalog,
                                       pii_key=runtime.settings.grants_pii_key, now=runtime.clock(), as_of=as_of,
                                       overrides=overrides)
    return {**decision.to_contract_json(), "as_of": as_of.isoformat(), "catalog_hash": decision.catalog_hash,
            "persisted": False}


def _as_of(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_date()
    except ValueError:
        return _bad_date()


def _bad_date() -> date:
    raise ValidationFailed("as_of must be a date written YYYY-MM-DD", errors=[{"field": "as_of", "message": "YYYY-MM-DD"}])
