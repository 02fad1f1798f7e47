"""Applicant portal routes (contract §3) and the internal claim lookup disbursement uses (claim check)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Request, Response

from services.applications.api.schemas import ClaimBodyOut, ClaimPage, ClaimPublic, to_public
from services.applications.service.claim_filing import file_claim
from services.applications.api.search_params import claim_filters
from services.applications.domain.search_index import ClaimFilters
from services.applications.service.claim_reads import (claim_body, explained, search_claims,
                                                       visible_claim)
from shared.auth import CLAIMS_READ_BODY, STAFF, Principal
from shared.claims.documented import claim_request_schema
from shared.errors import ValidationFailed
from shared.pagination import decode_cursor, page_of
from shared.web.openapi import json_body, problems
from shared.web.query import Cursor, Limit
from shared.web.runtime import DBSession, get_runtime
from shared.web.security import Applicant, Caller, role_gate, scope_gate

router = APIRouter()
DB = DBSession
Person = Annotated[Principal, Depends(role_gate("applicant", *STAFF))]  # any person's role, never a service
ClaimsReader = Annotated[Principal, Depends(scope_gate(CLAIMS_READ_BODY))]  # another service, never a person
# a stored decision's members are answered as stored: those it lacks are left out, not sent as null
ONE_CLAIM: dict[str, Any] = {"response_model": ClaimPublic, "response_model_exclude_unset": True}
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": True,
                   "description": "the same key and body again: the same claim (200); another body: 409",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 255}}


@router.post("/v1/claims", status_code=201, **ONE_CLAIM, tags=["claims"],
             responses={200: {"model": ClaimPublic, "description": "A replay: the claim filed with this key"},
                        **problems(409)},
             openapi_extra=json_body(claim_request_schema(), headers=[IDEMPOTENCY_KEY]))
def post_claim(request: Request, response: Response, caller: Applicant, db: DB,
               data: Annotated[Any, Body()] = None,
               idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", include_in_schema=False)] = None
               ) -> ClaimPublic:
    """File a claim; the Idempotency-Key makes retries safe. Sync on purpose: it blocks on row locks."""
    if idempotency_key is None or not 1 <= len(idempotency_key) <= 255:
        raise ValidationFailed("the Idempotency-Key header is required (1-255 characters)",
                               errors=[{"field": "Idempotency-Key", "message": "required, 1-255 characters"}])
    if not isinstance(data, dict):
        raise ValidationFailed("the body must be a JSON object", errors=[{"field": "body", "message": "not a JSON object"}])
    settings = get_runtime(request).settings
    filed = file_claim(db_session=db, applicant_sub=caller.sub, idempotency_key=idempotency_key,
                       raw=data, pii_key=settings.grants_pii_key)
    if not filed.created:
        response.status_code = 200
    return to_public(filed.claim, filed.history)


@router.get("/v1/claims/{claim_id}", **ONE_CLAIM, tags=["claims"])
def get_claim(claim_id: str, caller: Caller, db: DB, response: Response,
              accept_language: Annotated[str | None, Header()] = None) -> ClaimPublic:
    """The claim, its history, and its status in plain words (`explanation`: Chinese, or English when
    Accept-Language prefers it), with a failed payment's bank reason and what to do next."""
    row, history = visible_claim(db, claim_id, caller)
    explanation = explained(row, history, accept_language)
    response.headers["Content-Language"] = "zh-CN" if explanation["language"] == "zh" else "en"
    return to_public(row, history, explanation)


@router.get("/v1/claims", response_model=ClaimPage, response_model_exclude_unset=True, tags=["claims"])
def list_claims(caller: Person, db: DB, filters: Annotated[ClaimFilters, Depends(claim_filters)],
                limit: Limit = 50, cursor: Cursor = None) -> ClaimPage:
    """Claims oldest first, filtered: an applicant's own, or (officer, auditor, admin) every claim."""
    (after,) = decode_cursor(cursor, int) or (0,)
    claims = search_claims(db, caller, filters, after_id=after, limit=limit + 1)
    page, next_cursor = page_of(claims, limit, lambda claim: (claim[0].id,))
    return ClaimPage(items=[to_public(*claim) for claim in page], next_cursor=next_cursor)


@router.get("/internal/v1/claims/{claim_id}", tags=["internal"], response_model=ClaimBodyOut)
def get_claim_body(claim_id: str, caller: ClaimsReader, db: DB) -> dict:
    """The full body of a claim, for the services that act on it (a service token with scope claims:read-body):
    identifiers never travel in events."""
    row = claim_body(db, claim_id, caller)
    return {"claim_id": row.claim_id, "status": row.status, "submitted_at": row.submitted_at.isoformat(),
            "body": row.body}

