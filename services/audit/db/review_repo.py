"""Findings, quarantined events and budgets: stored idempotently, listed by insertion order."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.audit.db.review_tables import FindingRow, FundBudgetRow, QuarantinedEventRow
from services.audit.domain.anomalies.findings import Finding
from shared.bulk import among, insert_many, insert_or_ignore

FINDINGS, QUARANTINE, BUDGETS = FindingRow.__table__, QuarantinedEventRow.__table__, FundBudgetRow.__table__
NOT_ISSUED = "not_issued"  # quarantine reason of an outcome waiting for its payment's issue


def store_findings(session: Session, findings: Iterable[Finding], now: datetime | None = None, *,
                   scope_key: str | None = None) -> int:
    """Insert findings not stored yet (by finding_key), open; returns how many are new."""
    at = now or datetime.now(UTC)
    return len(insert_many(session, FINDINGS, [{**finding_row(f, at), "scope_key": scope_key} for f in findings],
                           conflict_on=["finding_key"], returning="finding_key"))


def finding_row(f: Finding, at: datetime) -> dict[str, Any]:
    return {"finding_key": f.finding_key, "rule": f.rule, "severity": f.severity, "clause": f.clause,
            "payment_ids": list(f.payment_ids), "batch_ids": list(f.batch_ids), "detail": f.detail, "found_at": at,
            "status": "open"}


def findings_page(session: Session, *, rule: str | None, severity: str | None, after_id: int,
                  limit: int, status: str | None = None) -> list[FindingRow]:
    query = select(FindingRow).where(FindingRow.id > after_id)
    if status is not None:
        query = query.where(FindingRow.status == status)
    if rule is not None:
        query = query.where(FindingRow.rule == rule)
    if severity is not None:
        query = query.where(FindingRow.severity == severity)
    return list(session.execute(query.order_by(FindingRow.id).limit(limit)).scalars())


def quarantine_row(*, event_id: str, event_type: str, payment_id: str | None, reason: str,
                   detail: str) -> dict[str, Any]:
    """A quarantined_events row; released_* are set on it if it is released before it is stored."""
    return {"event_id": event_id, "event_type": event_type, "payment_id": payment_id, "reason": reason,
            "detail": detail[:2000], "quarantined_at": datetime.now(UTC), "released_entry_id": None,
            "released_at": None}


def quarantine(session: Session, rows: list[dict[str, Any]]) -> None:
    """Store quarantine_rows in one statement (an event already quarantined keeps its row)."""
    insert_many(session, QUARANTINE, rows, conflict_on=["event_id"])


def quarantine_page(session: Session, *, reason: str | None, after_id: int, limit: int) -> list[QuarantinedEventRow]:
    query = select(QuarantinedEventRow).where(QuarantinedEventRow.id > after_id)
    if reason is not None:
        query = query.where(QuarantinedEventRow.reason == reason)
    return list(session.execute(query.order_by(QuarantinedEventRow.id).limit(limit)).scalars())


def waiting_for_issue(session: Session, payment_ids: list[str]) -> list[tuple[int, str, str]]:
    """(row id, event id, payment id) of outcomes that arrived before these payments' issues and are still
    unposted, oldest first."""
    if not payment_ids:
        return []
    query = (select(QUARANTINE.c.id, QUARANTINE.c.event_id, QUARANTINE.c.payment_id)
             .where(among(session, QUARANTINE.c.payment_id, payment_ids), QUARANTINE.c.reason == NOT_ISSUED,
                    QUARANTINE.c.released_at.is_(None)))
    return [tuple(row) for row in session.execute(query.order_by(QUARANTINE.c.id))]


def released(entry_id: str) -> dict[str, Any]:
    """The change to a waiting outcome's row once it is posted."""
    return {"released_entry_id": entry_id, "released_at": datetime.now(UTC)}


def requarantined(reason: str, detail: str) -> dict[str, Any]:
    """The change to a waiting outcome's row tried once its issue arrived that still cannot be posted."""
    return {"reason": reason, "detail": detail[:2000]}


def update_quarantined(session: Session, row_id: int, changes: dict[str, Any]) -> None:
    session.execute(update(QUARANTINE).where(QUARANTINE.c.id == row_id).values(**changes))


def budgets(session: Session) -> dict[tuple[str, int], int]:
    return {(r.fund, r.year): r.amount_fen for r in session.execute(select(BUDGETS))}


def budgets_of(session: Session, fund: str, year: int) -> int | None:
    query = select(BUDGETS.c.amount_fen).where(BUDGETS.c.fund == fund, BUDGETS.c.year == year)
    return session.execute(query).scalar_one_or_none()


def set_budget(session: Session, *, fund: str, year: int, amount_fen: int, set_by: str) -> None:
    values = {"amount_fen": amount_fen, "set_by": set_by, "set_at": datetime.now(UTC)}
    changed = session.execute(update(BUDGETS).where(BUDGETS.c.fund == fund, BUDGETS.c.year == year)
                              .values(**values)).rowcount
    if not changed:
        insert_or_ignore(session, BUDGETS, {"fund": fund, "year": year, **values}, ["fund", "year"])
