"""The events as received: recorded once each, and read back as facts for rules and reconciliation."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit.db.review_tables import ApprovedPaymentRow
from services.audit.db.tables import ReceivedEvent
from services.audit.domain.errors import UnpostableEvent
from services.audit.domain.events import BatchApproved, EventFact, IssuedPayment, PaymentOutcome, parse_event
from shared.bulk import JsonText, copy_rows, insert_many
from shared.china_time import business_day
from shared.events import BATCH_APPROVED

RECEIVED, APPROVED = ReceivedEvent.__table__, ApprovedPaymentRow.__table__
ISSUED, SETTLED, FAILED, APPROVAL = "issued", "settled", "failed", "approved"  # received_events.fact
FACT_COLUMNS = ("fact", "fund", "amount_fen", "occurred_at", "business_day")


def record(session: Session, rows: list[dict[str, Any]]) -> set[str]:
    """Keep events as received (rows from received_row, one statement); returns the ids of those kept now.

    One event: an insert that skips an id kept already (a twin consumer got there first), missing from the
    answer. Several (a consumed batch, whose ids the inbox found new): one COPY, the fastest way in, which
    fails as a whole on an id a twin kept meanwhile; the consumer then applies the batch event by event,
    each through the skipping insert. The COPY is left unsettled (shared.deferred_copy): such a failure is raised
    by the transaction's next statement.
    """
    if len(rows) > 1:
        copy_rows(session, RECEIVED, rows, settle_later=True)
        return {row["event_id"] for row in rows}
    rows = [{**row, "payload": json.loads(row["payload"])} if isinstance(row["payload"], JsonText) else row
            for row in rows]
    return set(insert_many(session, RECEIVED, rows, conflict_on=["event_id"], returning="event_id"))


_UNREAD: Any = object()


def received_row(event_id: str, event_type: str, subject: str | None, payload: dict[str, Any],
                 fact: EventFact | None = _UNREAD, payload_json: str | None = None) -> dict[str, Any]:
    """The received_events row of one event: the payload as received plus the columns indexed from it.

    `fact`: the payload as the caller already read it (None: it does not read as a fact), to save reading it twice;
    `payload_json`: the payload already encoded (the same document), stored as it is."""
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    stored = payload if payload_json is None else JsonText(payload_json)
    return {"event_id": event_id, "type": event_type, "subject": subject, "payment_id": _short_id(data.get("payment_id")),
            "batch_id": _short_id(data.get("batch_id")), "payload": stored, "received_at": datetime.now(UTC),
            **columns_of_fact(read_fact(payload) if fact is _UNREAD else fact)}


def fact_columns(payload: dict[str, Any]) -> dict[str, Any]:
    """What reconciliation aggregates of an event: its fact, fund, amount and moment; all None if it does not read."""
    return columns_of_fact(read_fact(payload))


def columns_of_fact(fact: EventFact | None) -> dict[str, Any]:
    if isinstance(fact, IssuedPayment):
        kind, amount_fen, at = ISSUED, fact.amount_fen, fact.issued_at
    elif isinstance(fact, PaymentOutcome):
        kind, amount_fen, at = SETTLED if fact.settled else FAILED, fact.amount_fen, fact.at
    elif isinstance(fact, BatchApproved):
        kind, amount_fen, at = APPROVAL, None, fact.approved_at
    else:
        return dict.fromkeys(FACT_COLUMNS)
    return {"fact": kind, "fund": fact.fund, "amount_fen": amount_fen, "occurred_at": at,
            "business_day": business_day(at)}


def record_approvals(session: Session, approvals: list[BatchApproved]) -> None:
    """Index the approvals' payment ids, so reconciliation can join approvals by payment id."""
    members = dict.fromkeys((a.batch_id, p) for a in approvals for p in a.payment_ids)
    insert_many(session, APPROVED, [{"batch_id": b, "payment_id": p} for b, p in members],
                conflict_on=["batch_id", "payment_id"])


def payload_of(session: Session, event_id: str) -> dict[str, Any] | None:
    return session.execute(select(RECEIVED.c.payload).where(RECEIVED.c.event_id == event_id)).scalar_one_or_none()


def payloads_of(session: Session, event_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not event_ids:
        return {}
    query = select(RECEIVED.c.event_id, RECEIVED.c.payload).where(RECEIVED.c.event_id.in_(event_ids))
    return {event_id: payload for event_id, payload in session.execute(query)}


def facts(session: Session, types: tuple[str, ...]) -> Iterator[EventFact]:
    """Every received event of these types that reads as a fact (quarantined malformed ones do not)."""
    query = select(RECEIVED.c.payload).where(RECEIVED.c.type.in_(types)).order_by(RECEIVED.c.id)
    for (payload,) in session.execute(query.execution_options(yield_per=1000)):
        fact = read_fact(payload)
        if fact is not None:
            yield fact


def read_fact(payload: dict[str, Any]) -> EventFact | None:
    try:
        return parse_event(payload)
    except UnpostableEvent:
        return None


def _short_id(value: Any) -> str | None:
    """Only an id that fits the column is indexed; the full event is in payload either way."""
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def approvals_received(session: Session) -> dict[str, datetime]:
    """batch id -> when the audit received its grants.batch.approved event."""
    query = select(RECEIVED.c.batch_id, RECEIVED.c.received_at).where(RECEIVED.c.type == BATCH_APPROVED)
    return {batch_id: _aware(at) for batch_id, at in session.execute(query) if batch_id}


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite returns naive UTC datetimes


def events_of_payment(session: Session, payment_id: str) -> list[tuple[str, str, dict[str, Any], datetime]]:
    """(event_id, type, payload, received_at) of every event received about the payment, in arrival order."""
    query = select(RECEIVED.c.event_id, RECEIVED.c.type, RECEIVED.c.payload, RECEIVED.c.received_at) \
        .where(RECEIVED.c.payment_id == payment_id).order_by(RECEIVED.c.id)
    return [(e, t, p, _aware(r)) for e, t, p, r in session.execute(query)]
