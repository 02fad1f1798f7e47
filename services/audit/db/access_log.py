"""The audit's access trail: its own records (refusals; it holds no personal data) and the copies the other
services deliver by event, in one access_log table that auditors list (GET /v1/access-log)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlmodel import Session

from services.audit.db.tables import access_log
from shared.access_trail import AccessTrail
from shared.bulk import insert_or_ignore
from shared.events import AUDIT_SOURCE

trail = AccessTrail(table=access_log, outbox=None, source=AUDIT_SOURCE)


def keep_copy(session: Session, row: dict[str, Any]) -> bool:
    """A record delivered by event, once per access_id (a redelivery changes nothing)."""
    return insert_or_ignore(session, access_log, row, conflict_on=("access_id",))


def page(session: Session, filters: dict[str, Any], since: datetime | None, until: datetime | None,
         after: tuple[datetime, int] | None, limit: int) -> Sequence[Any]:
    """Newest first (by when it happened, then as received); `filters` are equality on columns; fetched as
    limit + 1 (shared.pagination.page_of)."""
    query = select(access_log)
    for column, value in filters.items():
        query = query.where(access_log.c[column] == value)
    if since is not None:
        query = query.where(access_log.c.at >= since)
    if until is not None:
        query = query.where(access_log.c.at < until)
    if after is not None:
        query = query.where(tuple_(access_log.c.at, access_log.c.id) < tuple_(*after))
    order = (access_log.c.at.desc(), access_log.c.id.desc())
    return session.execute(query.order_by(*order).limit(limit + 1)).mappings().all()
