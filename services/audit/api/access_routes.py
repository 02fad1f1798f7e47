"""GET /v1/access-log: the access trail of every service (issue 14 point 6), for auditors."""

from typing import Any

from fastapi import APIRouter, Depends

from services.audit.api.deps import DB, From, Moment, auditor, window
from services.audit.service.access_log import list_access
from shared.web.query import Cursor, Limit

router = APIRouter(prefix="/v1/access-log", tags=["access-log"], dependencies=[Depends(auditor)])


@router.get("")
def access_log(db: DB, actor: str | None = None, role: str | None = None, action: str | None = None,
               outcome: str | None = None, claim_id: str | None = None, batch_id: str | None = None,
               payment_id: str | None = None, source: str | None = None, from_: From = None, to: Moment = None,
               limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Who read which claim's personal data or batch's payment file, or was refused, and why; newest first."""
    since, until = window(from_, to)
    filters = {"actor": actor, "role": role, "action": action, "outcome": outcome, "claim_id": claim_id,
               "batch_id": batch_id, "payment_id": payment_id, "source": source}
    items, next_cursor = list_access(db, filters, since, until, limit, cursor)
    return {"items": items, "next_cursor": next_cursor}
