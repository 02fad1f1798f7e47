"""GET /v1/access-log: the access trail of every service (issue 14 point 6), for auditors."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header

from services.audit.api.deps import DB, From, Moment, ReportFormat, auditor, window
from services.audit.api.report_formats import csv_response, rows_csv, wants_csv
from services.audit.service.access_log import list_access
from shared.web.query import Cursor, Limit

COLUMNS = ("at", "source", "actor", "role", "action", "outcome", "purpose", "claim_id", "batch_id", "payment_id",
           "fields", "detail", "access_id")
router = APIRouter(prefix="/v1/access-log", tags=["access-log"], dependencies=[Depends(auditor)])


@router.get("")
def access_log(db: DB, actor: str | None = None, role: str | None = None, action: str | None = None,
               outcome: str | None = None, claim_id: str | None = None, batch_id: str | None = None,
               payment_id: str | None = None, source: str | None = None, from_: From = None, to: Moment = None,
               limit: Limit = 50, cursor: Cursor = None, accept: Annotated[str | None, Header()] = None,
               format: ReportFormat = None) -> Any:
    """Who read which claim's personal data or batch's payment file, or was refused, and why; newest first.
    As CSV (Accept: text/csv or ?format=csv): the same page."""
    since, until = window(from_, to)
    filters = {"actor": actor, "role": role, "action": action, "outcome": outcome, "claim_id": claim_id,
               "batch_id": batch_id, "payment_id": payment_id, "source": source}
    items, next_cursor = list_access(db, filters, since, until, limit, cursor)
    if wants_csv(accept, format):
        response = csv_response(rows_csv(COLUMNS, items), "access-log")
        if next_cursor:
            response.headers["X-Next-Cursor"] = next_cursor
        return response
    return {"items": items, "next_cursor": next_cursor}
