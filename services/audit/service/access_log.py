"""The access trail as auditors read it (GET /v1/access-log): the copies delivered by event from the services
that were read, beside the audit's own records (refusals), newest first."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from services.audit.db import access_log as repo
from shared.event_payloads import AccessRecorded
from shared.pagination import decode_cursor, page_of

FILTERS = ("actor", "role", "action", "outcome", "claim_id", "batch_id", "payment_id", "source")


def keep_delivered(session: Session, data: AccessRecorded, *, source: str) -> bool:
    """Keep the copy of one record (once per access_id)."""
    return repo.keep_copy(session, {**data.model_dump(include=set(repo.access_log.c.keys())), "source": source})


def list_access(session: Session, filters: dict[str, Any], since: datetime | None, until: datetime | None,
                limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    after = decode_cursor(cursor, datetime, int)
    rows = repo.page(session, {k: v for k, v in filters.items() if v is not None}, since, until, after, limit)
    shown, next_cursor = page_of(rows, limit, lambda row: (_aware(row["at"]), row["id"]))
    return [record_json(row) for row in shown], next_cursor


def record_json(row: Any) -> dict[str, Any]:
    return {"access_id": row["access_id"], "source": row["source"], "actor": row["actor"], "role": row["role"],
            "action": row["action"], "outcome": row["outcome"], "purpose": row["purpose"],
            "claim_id": row["claim_id"], "batch_id": row["batch_id"], "payment_id": row["payment_id"],
            "fields": list(row["fields"] or []), "detail": row["detail"],
            "at": _aware(row["at"]).isoformat()}


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite keeps no offset; every writer wrote UTC
