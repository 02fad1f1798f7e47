"""Queries on payments, fund budgets and bank return uploads."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import defer
from sqlmodel import Session

from services.disbursement.db.batch_tables import BankReturnUploadRow, FundBudgetRow, PaymentRow
from services.disbursement.db.batch_repo import CHUNK
from services.disbursement.db.tables import DecisionRow
from shared.bulk import insert_many

FAILED = "failed"


def add_payments(session: Session, rows: list[dict[str, Any]]) -> None:
    insert_many(session, PaymentRow.__table__, rows, chunk=CHUNK)


def for_batch(session: Session, batch_id: str) -> list[PaymentRow]:
    query = select(PaymentRow).where(PaymentRow.batch_id == batch_id).order_by(PaymentRow.payment_id)
    return list(session.execute(query).scalars())


def lock_payments(session: Session, payment_ids: list[str]) -> dict[str, PaymentRow]:
    """These payments (those that exist), locked in id order so concurrent uploads serialise cleanly."""
    found: dict[str, PaymentRow] = {}
    ids = sorted(set(payment_ids))
    for start in range(0, len(ids), CHUNK):
        query = (select(PaymentRow).where(PaymentRow.payment_id.in_(ids[start:start + CHUNK]))
                 .order_by(PaymentRow.payment_id).with_for_update())
        found.update({row.payment_id: row for row in session.execute(query).scalars()})
    return found


def latest_failed(session: Session, claim_id: str) -> PaymentRow | None:
    query = (select(PaymentRow).where(PaymentRow.claim_id == claim_id, PaymentRow.status == FAILED)
             .order_by(PaymentRow.issued_at.desc()).limit(1))
    return session.execute(query).scalar_one_or_none()


def issued_total(session: Session, fund: str, year: int) -> int:
    """What a fund has committed in a year: every payment issued then, less those the bank failed."""
    query = select(func.coalesce(func.sum(PaymentRow.amount_fen), 0)).where(
        PaymentRow.fund == fund, PaymentRow.budget_year == year, PaymentRow.status != FAILED)
    return int(session.execute(query).scalar_one())


def issued_totals(session: Session, year: int) -> dict[str, int]:
    query = (select(PaymentRow.fund, func.sum(PaymentRow.amount_fen))
             .where(PaymentRow.budget_year == year, PaymentRow.status != FAILED).group_by(PaymentRow.fund))
    return {fund: int(total) for fund, total in session.execute(query).all()}


def upload(session: Session, upload_id: str) -> BankReturnUploadRow | None:
    return session.get(BankReturnUploadRow, upload_id)


def payment(session: Session, payment_id: str) -> PaymentRow | None:
    return session.get(PaymentRow, payment_id)


def decision(session: Session, claim_id: str) -> DecisionRow | None:
    return session.get(DecisionRow, claim_id)


def statement_candidates(session: Session, fund: str, payment_ids: list[str], batch_ids: list[str],
                         since: datetime | None, until: datetime | None) -> list[PaymentRow]:
    """The fund's payments a statement may book: those it names, those of the batches it names, and those
    issued or given an outcome in [since, until)."""
    named = [PaymentRow.payment_id.in_(payment_ids[i:i + CHUNK]) for i in range(0, len(payment_ids), CHUNK)]  # type: ignore[attr-defined]
    named += [PaymentRow.batch_id.in_(batch_ids)] if batch_ids else []  # type: ignore[attr-defined]
    if since is not None and until is not None:
        named += [PaymentRow.issued_at.between(since, until), PaymentRow.outcome_at.between(since, until)]  # type: ignore[union-attr]
    if not named:
        return []
    return list(session.execute(select(PaymentRow).where(PaymentRow.fund == fund, or_(*named))).scalars())


def uploads_page(session: Session, after: tuple[datetime, str] | None, limit: int) -> list[BankReturnUploadRow]:
    """Uploads newest first after the keyset position `after`; their lines are not loaded."""
    query = select(BankReturnUploadRow).options(defer(BankReturnUploadRow.outcomes))  # type: ignore[arg-type]
    if after is not None:
        query = query.where(tuple_(BankReturnUploadRow.uploaded_at, BankReturnUploadRow.upload_id) < tuple_(*after))
    order = (BankReturnUploadRow.uploaded_at.desc(), BankReturnUploadRow.upload_id.desc())  # type: ignore[attr-defined]
    return list(session.execute(query.order_by(*order).limit(limit)).scalars())


def budget(session: Session, fund: str, year: int) -> FundBudgetRow | None:
    return session.get(FundBudgetRow, (fund, year))


def budgets(session: Session, year: int) -> dict[str, FundBudgetRow]:
    query = select(FundBudgetRow).where(FundBudgetRow.year == year)
    return {row.fund: row for row in session.execute(query).scalars()}


def failed_payee_refs(session: Session, claim_ids: list[str]) -> dict[str, set[str]]:
    """claim id -> the payee refs its failed payments went to (a claim absent here never failed)."""
    found: dict[str, set[str]] = {}
    ids = sorted(set(claim_ids))
    for start in range(0, len(ids), CHUNK):
        query = select(PaymentRow.claim_id, PaymentRow.payee_ref).where(
            PaymentRow.claim_id.in_(ids[start:start + CHUNK]), PaymentRow.status == FAILED)
        for claim_id, payee_ref in session.execute(query):
            found.setdefault(claim_id, set()).add(payee_ref)
    return found
