"""Applicant portal routes (contract §3) and the internal claim lookup disbursement uses (claim check)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request, Response
from sqlmodel import Session

from services.applications.api.schemas import ClaimPage, ClaimPublic, to_public
from services.applications.db import claims_repo
from services.applications.service.claim_filing import file_claim
from shared.auth import STAFF, Principal
from shared.errors import NotFound, ValidationFailed
from shared.pagination import decode_cursor, page_of
from shared.web.query import Cursor, Limit
from shared.web.runtime import DBSession, get_runtime
from shared.web.security import Caller, require_role

router = APIRouter()
DB = DBSession


@router.post("/v1/claims", status_code=201, response_model=ClaimPublic, tags=["claims"])
def post_claim(request: Request, response: Response, caller: Caller, db: DB,
               data: Annotated[Any, Body()] = None,
               idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None) -> ClaimPublic:
    """File a claim; the Idempotency-Key makes retries safe. Sync on purpose: it blocks on row locks."""
    require_role(caller, "applicant")
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


@router.get("/v1/claims/{claim_id}", response_model=ClaimPublic, tags=["claims"])
def get_claim(claim_id: str, caller: Caller, db: DB) -> ClaimPublic:
    row = _visible_claim(db, caller, claim_id)
    return to_public(row, claims_repo.history(db, [claim_id])[claim_id])


@router.get("/v1/claims", response_model=ClaimPage, tags=["claims"])
def list_claims(caller: Caller, db: DB, limit: Limit = 50, cursor: Cursor = None) -> ClaimPage:
    """The caller's own claims, oldest first."""
    (after,) = decode_cursor(cursor, int) or (0,)
    rows = claims_repo.page_for_applicant(db, caller.sub, after, limit + 1)
    page, next_cursor = page_of(rows, limit, lambda row: (row.id,))
    histories = claims_repo.history(db, [r.claim_id for r in page])
    return ClaimPage(items=[to_public(r, histories[r.claim_id]) for r in page], next_cursor=next_cursor)


@router.get("/internal/v1/claims/{claim_id}", tags=["internal"])
def get_claim_body(claim_id: str, caller: Caller, db: DB) -> dict:
    """The full body of a claim, for services that act on it (role admin): identifiers never travel in events."""
    require_role(caller, "admin")
    row = claims_repo.by_claim_id(db, claim_id)
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    return {"claim_id": row.claim_id, "status": row.status, "submitted_at": row.submitted_at.isoformat(),
            "body": row.body}


def _visible_claim(db: Session, caller: Principal, claim_id: str):  # type: ignore[no-untyped-def]
    row = claims_repo.by_claim_id(db, claim_id)
    if row is None or (caller.role not in STAFF and row.applicant_sub != caller.sub):
        raise NotFound(f"no claim {claim_id} visible to you")
    return row
