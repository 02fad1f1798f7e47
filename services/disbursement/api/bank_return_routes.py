"""Bank returns (contract §4): the bank's per-payment outcomes, as CSV or an ISO 20022 pain.002 report.

Send the file as the request body with Content-Type `text/csv`, or `application/xml` (`text/xml`) for
pain.002.001.xx; without a usable Content-Type the form is recognised by the first character. The
answer lists what each line did (see domain.bank_returns.matching for the outcome codes).
"""

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request

from services.disbursement.api.finance_deps import raw_body
from services.disbursement.api.responses import BankReturnOut
from services.disbursement.api.routes import DB
from services.disbursement.service.bank_return_intake import ReturnForm, take_returns, upload
from shared.auth import STAFF
from shared.errors import ValidationFailed
from shared.web.guard import body_limit
from shared.web.security import Officer, Staff

if TYPE_CHECKING:
    from services.disbursement.db.batch_tables import BankReturnUploadRow

router = APIRouter(tags=["bank-returns"])
_XML = ("application/xml", "text/xml")
_FILE = {"schema": {"type": "string"}}
_RETURN_FILE = {"requestBody": {"required": True, "description": "the bank's return file as sent",
                                "content": {"text/csv": _FILE, "application/xml": _FILE, "text/xml": _FILE}}}


@router.post("/v1/bank-returns", response_model=BankReturnOut, openapi_extra=_RETURN_FILE)
@body_limit("grants_bank_file_max_bytes")
def post_bank_returns(request: Request, caller: Officer, db: DB,
                      data: Annotated[bytes, Depends(raw_body)]) -> dict[str, Any]:
    """Apply the bank's per-payment outcomes; every line of the file is answered with what it did."""
    form = _form(request.headers.get("content-type", ""), data)
    return upload_json(take_returns(db, data=data, form=form, uploader=caller))


@router.get("/v1/bank-returns/{upload_id}", response_model=BankReturnOut)
def get_bank_return(upload_id: str, caller: Staff, db: DB) -> dict[str, Any]:
    return upload_json(upload(db, upload_id))


def upload_json(row: "BankReturnUploadRow") -> dict[str, Any]:
    summary: dict[str, int] = {}
    for line in row.outcomes:
        summary[line["outcome"]] = summary.get(line["outcome"], 0) + 1
    return {"upload_id": row.upload_id, "format": row.source_format, "original_message_id": row.original_message_id,
            "sha256": row.sha256, "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at.isoformat(),
            "applied": row.applied, "summary": summary, "lines": row.outcomes}


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
