"""Batches as the API shows them: pages of batches, and one batch with its control totals, items (with their
payments once issued), approvals and history."""

from typing import Any

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.batch_tables import BatchRow
from services.disbursement.domain import batch_states as bs
from services.disbursement.domain.approval_policy import Limits, needs_two_checkers
from shared.errors import NotFound
from shared.money import CURRENCY, format_fen


def batches_page(session: Session, *, status: str | None, fund: str | None, after: str | None,
                 limit: int) -> list[BatchRow]:
    """Up to `limit` batches newest first, after the batch id `after`."""
    return batch_repo.page(session, status=status, fund=fund, after=after, limit=limit)


def batch_or_404(session: Session, batch_id: str) -> BatchRow:
    batch = batch_repo.batch(session, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    return batch


def batch_summary(batch: BatchRow, limits: Limits) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id, "fund": batch.fund, "programme": batch.programme, "status": batch.status,
        "maker": batch.maker, "count": batch.count, "total": format_fen(batch.total_fen), "currency": CURRENCY,
        "checkers_required": 2 if needs_two_checkers(batch.total_fen, limits) else 1,
        "created_at": batch.created_at.isoformat(), "updated_at": batch.updated_at.isoformat(),
        "approved_at": batch.approved_at.isoformat() if batch.approved_at else None,
    }


def batch_detail(session: Session, batch: BatchRow, limits: Limits) -> dict[str, Any]:
    items = batch_repo.counted_items(session, batch.batch_id)
    payments = {p.claim_id: p for p in payments_repo.for_batch(session, batch.batch_id)} \
        if batch.status == bs.APPROVED else {}
    return {
        **batch_summary(batch, limits),
        "items": [_item(item, payments.get(item.claim_id)) for item in items],
        "approvals": [{"checker": a.checker, "role": a.checker_role, "at": a.approved_at.isoformat()}
                      for a in batch_repo.approvals(session, batch.batch_id)],
        "history": [{"action": t.action, "from_status": t.from_status, "to_status": t.to_status, "actor": t.actor,
                     "actor_role": t.actor_role, "reason": t.reason, "detail": t.detail, "at": t.at.isoformat()}
                    for t in batch_repo.transitions(session, batch.batch_id)],
    }


def _item(item, payment) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    out: dict[str, Any] = {"claim_id": item.claim_id, "programme": item.programme, "policy_id": item.policy_id,
                           "amount": format_fen(item.amount_fen), "currency": CURRENCY, "payee_ref": item.payee_ref}
    if payment is not None:
        out.update(payment_id=payment.payment_id, payment_status=payment.status,
                   reason_code=payment.reason_code)
    return out
