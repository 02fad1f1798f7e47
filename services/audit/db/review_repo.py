"""Findings, quarantined events and budgets: stored idempotently, listed by insertion order."""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from services.audit.db.review_tables import FindingRow, FundBudgetRow, QuarantinedEventRow
from services.audit.db.upsert import insert_ignore
from services.audit.domain.anomalies.findings import Finding

FINDINGS, QUARANTINE, BUDGETS = FindingRow.__table__, QuarantinedEventRow.__table__, FundBudgetRow.__table__
NOT_ISSUED = "not_issued"  # quarantine reason of an outcome waiting for its payment's issue


def store_findings(session: Session, findings: Iterable[Finding], now: datetime | None = None) -> int:
    """Insert findings not stored yet (by finding_key); returns how many are new."""
    at = now or datetime.now(UTC)
    return insert_ignore(session, FINDINGS, [
        {"finding_key": f.finding_key, "rule": f.rule, "severity": f.severity, "clause": f.clause,
         "payment_ids": list(f.payment_ids), "batch_ids": list(f.batch_ids), "detail": f.detail, "found_at": at}
        for f in findings], ["finding_key"])


def findings_page(session: Session, *, rule: str | None, severity: str | None, after_id: int,
                  limit: int) -> list[FindingRow]:
    query = select(FindingRow).where(FindingRow.id > after_id)
    if rule is not None:
        query = query.where(FindingRow.rule == rule)
    if severity is not None:
        query = query.where(FindingRow.severity == severity)
    return list(session.execute(query.order_by(FindingRow.id).limit(limit)).scalars())


def quarantine(session: Session, *, event_id: str, event_type: str, payment_id: str | None, reason: str,
               detail: str) -> bool:
    return insert_ignore(session, QUARANTINE, {
        "event_id": event_id, "event_type": event_type, "payment_id": payment_id, "reason": reason,
        "detail": detail[:2000], "quarantined_at": datetime.now(UTC)}, ["event_id"]) == 1


def quarantine_page(session: Session, *, reason: str | None, after_id: int, limit: int) -> list[QuarantinedEventRow]:
    query = select(QuarantinedEventRow).where(QuarantinedEventRow.id > after_id)
    if reason is not None:
        query = query.where(QuarantinedEventRow.reason == reason)
    return list(session.execute(query.order_by(QuarantinedEventRow.id).limit(limit)).scalars())


def waiting_for_issue(session: Session, payment_id: str) -> list[QuarantinedEventRow]:
    """Outcomes that arrived before their payment's issue and are still unposted, oldest first."""
    query = select(QuarantinedEventRow).where(QuarantinedEventRow.payment_id == payment_id,
                                              QuarantinedEventRow.reason == NOT_ISSUED,
                                              QuarantinedEventRow.released_at.is_(None))
    return list(session.execute(query.order_by(QuarantinedEventRow.id)).scalars())


def release(session: Session, row_id: int, entry_id: str) -> None:
    session.execute(update(QUARANTINE).where(QUARANTINE.c.id == row_id)
                    .values(released_entry_id=entry_id, released_at=datetime.now(UTC)))


def requarantine(session: Session, row_id: int, reason: str, detail: str) -> None:
    """The waiting outcome was tried once its issue arrived and still cannot be posted."""
    session.execute(update(QUARANTINE).where(QUARANTINE.c.id == row_id).values(reason=reason, detail=detail[:2000]))


def budgets(session: Session) -> dict[tuple[str, int], int]:
    return {(r.fund, r.year): r.amount_fen for r in session.execute(select(BUDGETS))}


def set_budget(session: Session, *, fund: str, year: int, amount_fen: int, set_by: str) -> None:
    values = {"amount_fen": amount_fen, "set_by": set_by, "set_at": datetime.now(UTC)}
    changed = session.execute(update(BUDGETS).where(BUDGETS.c.fund == fund, BUDGETS.c.year == year)
                              .values(**values)).rowcount
    if not changed:
        insert_ignore(session, BUDGETS, {"fund": fund, "year": year, **values}, ["fund", "year"])
