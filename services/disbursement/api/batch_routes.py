"""Batches (contract §4): a maker drafts, another officer approves or rejects, the bank file is rendered."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from services.disbursement.api.finance_deps import limits_of
from services.disbursement.api.finance_schemas import DraftBatch, RejectBatch
from services.disbursement.api.responses import BatchOut, BatchPage
from services.disbursement.api.routes import DB
from services.disbursement.domain.batch_states import BATCH_STATUSES
from services.disbursement.service.batch_approval import RefusalRecorded, approve_batch
from services.disbursement.service.batch_review import with_review
from services.disbursement.service.batch_view import batch_detail, batch_or_404, batch_summary, batches_page
from services.disbursement.service.batch_drafting import draft_batch, reject_batch, remove_item
from services.disbursement.service.payment_file_export import payment_file
from shared.china_time import business_day
from shared.errors import ValidationFailed
from shared.pagination import decode_cursor, page_of
from shared.web.query import Cursor, Limit
from shared.web.problems import problem_of
from shared.web.openapi import problems
from shared.web.security import Officer, OfficerOrAdmin, Staff

router = APIRouter(tags=["batches"])
# a batch's items carry their payment only once approved: members left unset are left out, as before
ONE_BATCH: dict[str, Any] = {"response_model": BatchOut, "response_model_exclude_unset": True}


@router.post("/v1/batches", status_code=201, **ONE_BATCH, responses=problems(409))
def post_batch(request: Request, caller: Officer, db: DB, body: Annotated[DraftBatch, Body()]) -> dict[str, Any]:
    """Draft a batch of one fund (the caller is its maker): the given claims, or every eligible one."""
    settings = request.app.state.runtime.settings
    batch = draft_batch(db, maker=caller, fund=body.fund, programme=body.programme, claim_ids=body.claim_ids,
                        catalog=request.app.state.catalog, max_items=settings.grants_max_batch_items,
                        source=request.app.state.claim_source)
    return batch_detail(db, batch, limits_of(request))


@router.get("/v1/batches", response_model=BatchPage)
def list_batches(request: Request, caller: Staff, db: DB, status: str | None = None, fund: str | None = None,
                 limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Batches newest first, without their items."""
    if status is not None and status not in BATCH_STATUSES:
        raise ValidationFailed(f"status must be one of {', '.join(BATCH_STATUSES)}",
                               errors=[{"field": "status", "message": "unknown batch status"}])
    (after,) = decode_cursor(cursor, str) or (None,)
    rows = batches_page(db, status=status, fund=fund, after=after, limit=limit + 1)
    page, next_cursor = page_of(rows, limit, lambda batch: (batch.batch_id,))
    limits = limits_of(request)
    return {"items": [batch_summary(b, limits) for b in page], "next_cursor": next_cursor}


@router.get("/v1/batches/{batch_id}", **ONE_BATCH)
def get_batch(batch_id: str, request: Request, caller: Staff, db: DB) -> dict[str, Any]:
    """The batch with its items; an officer (who may approve it) also sees each item's review fields."""
    detail = batch_detail(db, batch_or_404(db, batch_id), limits_of(request))
    if caller.role != "officer":
        return detail
    return with_review(db, detail, source=request.app.state.claim_source, viewer=caller)


@router.delete("/v1/batches/{batch_id}/items/{claim_id}", **ONE_BATCH, responses=problems(409))
def delete_item(batch_id: str, claim_id: str, request: Request, caller: Officer, db: DB,
                reason: Annotated[str | None, Query(max_length=500)] = None) -> dict[str, Any]:
    """Take a claim out of a draft (its maker only); the claim is eligible again."""
    batch = remove_item(db, batch_id=batch_id, claim_id=claim_id, actor=caller, reason=reason)
    return batch_detail(db, batch, limits_of(request))


@router.post("/v1/batches/{batch_id}/approve", **ONE_BATCH, responses=problems(409))
def post_approval(batch_id: str, request: Request, caller: Officer, db: DB) -> Any:
    """Approve as checker (never the maker: 403). The approval that completes the batch issues its payments."""
    limits = limits_of(request)
    try:
        batch = approve_batch(db, batch_id=batch_id, checker=caller, limits=limits, catalog=request.app.state.catalog)
    except RefusalRecorded as refused:  # answered without raising, so the refusal's trail entry is committed
        return problem_of(refused.problem)
    return batch_detail(db, batch, limits)


@router.post("/v1/batches/{batch_id}/reject", **ONE_BATCH, responses=problems(409))
def post_rejection(batch_id: str, request: Request, caller: Officer, db: DB,
                   body: Annotated[RejectBatch, Body()]) -> dict[str, Any]:
    """Reject a draft or a batch awaiting approval, saying why; its claims are eligible again."""
    batch = reject_batch(db, batch_id=batch_id, actor=caller, reason=body.reason)
    return batch_detail(db, batch, limits_of(request))


@router.get("/v1/batches/{batch_id}/payment-file", response_class=Response,
            responses={200: {"content": {"application/xml": {"schema": {"type": "string"}}},
                             "description": "pain.001.001.09 XML"},
                       **problems(409, 503)})
def get_payment_file(batch_id: str, request: Request, caller: OfficerOrAdmin, db: DB,
                     execution_date: date | None = None) -> Response:
    """The approved batch as an ISO 20022 pain.001.001.09 credit-transfer initiation (UTF-8 XML)."""
    if execution_date is not None and execution_date < business_day(datetime.now(UTC)):
        raise ValidationFailed("execution_date cannot be in the past",
                               errors=[{"field": "execution_date", "message": "today or later (China time)"}])
    settings = request.app.state.runtime.settings
    document = payment_file(db, batch_id=batch_id, source=request.app.state.claim_source,
                            accounts=settings.grants_fund_accounts, pii_key=settings.grants_pii_key,
                            reader=caller, execution_date=execution_date)
    return Response(document, media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="payment-{batch_id}.xml"'})
