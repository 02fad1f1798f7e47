"""Bank returns (contract §4): the bank's per-payment outcomes, as CSV or an ISO 20022 pain.002 report.

Send the file as the request body with Content-Type `text/csv`, or `application/xml` (`text/xml`) for
pain.002.001.xx; without a usable Content-Type the form is recognised by the first character. The
answer lists what each line did (see domain.bank_returns.matching for the outcome codes). The uploads are
listed with their per-outcome counts, and each upload's lines can be downloaded as CSV; POST /v1/bank-statements
matches a camt.053 (or camt.054) statement against the fund's payments.
"""

import csv
import io

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from services.disbursement.api.finance_deps import raw_body
from services.disbursement.api.responses import BankReturnOut
from services.disbursement.api.routes import DB
from services.disbursement.service.bank_return_intake import ReturnForm, take_returns, upload, uploads_page
from services.disbursement.service.bank_statement_reconciliation import reconcile_statement
from shared.errors import ValidationFailed
from shared.web.guard import body_limit
from shared.web.query import Cursor, Limit
from shared.web.security import Officer, Staff

if TYPE_CHECKING:
    from services.disbursement.db.batch_tables import BankReturnUploadRow

router = APIRouter(tags=["bank-returns"])
_XML = ("application/xml", "text/xml")
_FILE = {"schema": {"type": "string"}}
LINE_COLUMNS = ("line_no", "end_to_end_id", "outcome", "message", "claim_id")
_RETURN_FILE = {"requestBody": {"required": True, "description": "the bank's return file as sent",
                                "content": {"text/csv": _FILE, "application/xml": _FILE, "text/xml": _FILE}}}


@router.post("/v1/bank-returns", response_model=BankReturnOut, openapi_extra=_RETURN_FILE)
@body_limit("grants_bank_file_max_bytes")
def post_bank_returns(request: Request, caller: Officer, db: DB,
                      data: Annotated[bytes, Depends(raw_body)]) -> dict[str, Any]:
    """Apply the bank's per-payment outcomes; every line of the file is answered with what it did."""
    form = _form(request.headers.get("content-type", ""), data)
    return upload_json(take_returns(db, data=data, form=form, uploader=caller))


@router.get("/v1/bank-returns")
def list_bank_returns(caller: Staff, db: DB, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """The uploads, newest first, each with how many of its lines had each outcome (lines: GET …/{id})."""
    rows, next_cursor = uploads_page(db, limit=limit, cursor=cursor)
    return {"items": [upload_json(row, lines=False) for row in rows], "next_cursor": next_cursor}


@router.get("/v1/bank-returns/{upload_id}", response_model=BankReturnOut)
def get_bank_return(upload_id: str, caller: Staff, db: DB) -> dict[str, Any]:
    return upload_json(upload(db, upload_id))


@router.get("/v1/bank-returns/{upload_id}/lines.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def download_bank_return_lines(upload_id: str, caller: Staff, db: DB) -> Response:
    """Every line of an upload and what it did, as CSV (columns: line_no, end_to_end_id, outcome, message,
    claim_id)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LINE_COLUMNS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(upload(db, upload_id).outcomes)
    return Response(out.getvalue().encode(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="bank-return-{upload_id}.csv"'})


@router.post("/v1/bank-statements", tags=["bank-statements"], openapi_extra={"requestBody": {
    "required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}})
@body_limit("grants_bank_file_max_bytes")
def post_bank_statement(request: Request, caller: Staff, db: DB,
                        data: Annotated[bytes, Depends(raw_body)]) -> dict[str, Any]:
    """A camt.053 statement (or camt.054 debit notification) of a fund's paying account, matched against the
    fund's payments: what matched, and the entries and payments left unmatched on either side."""
    if not data.strip():
        raise ValidationFailed("the bank statement is empty", errors=[{"field": "body", "message": "empty"}])
    settings = request.app.state.runtime.settings
    return reconcile_statement(db, data, settings.grants_fund_accounts, settings.grants_pii_key)


def upload_json(row: "BankReturnUploadRow", *, lines: bool = True) -> dict[str, Any]:
    document = {"upload_id": row.upload_id, "format": row.source_format,
                "original_message_id": row.original_message_id, "sha256": row.sha256,
                "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at.isoformat(), "applied": row.applied,
                "line_count": row.line_count, "summary": row.summary}
    return {**document, "lines": row.outcomes} if lines else document


def _form(content_type: str, data: bytes) -> ReturnForm:
    if not data.strip():
        raise ValidationFailed("the bank return file is empty", errors=[{"field": "body", "message": "empty"}])
    media = content_type.split(";")[0].strip().lower()
    if media == "text/csv":
        return "csv"
    if media in _XML:
        return "pain.002"
    if media in ("", "application/octet-stream", "text/plain"):
        return "pain.002" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "csv"
    raise ValidationFailed(f"unsupported Content-Type {media!r}: send text/csv or application/xml",
                           errors=[{"field": "Content-Type", "message": "text/csv or application/xml"}])
