"""The checker's side: approve a batch under the four-eyes rule, the officer's daily limit and the
fund's budget; the approval that completes the batch issues its payments.

Locks, in this order (every approver takes them the same way, so none deadlocks): the batch row, then
the fund-year and officer lock rows. Two officers approving one batch at once queue on the batch row;
the second finds it approved and changes nothing, so each payment is issued exactly once.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.batch_tables import BatchApprovalRow, BatchRow
from services.disbursement.db.finance_locks import (
    fund_year_lock,
    lock_names,
    officer_lock,
    serialise_writers_on_sqlite,
)
from services.disbursement.domain import batch_states as bs
from services.disbursement.domain.approval_policy import ApprovalFigures, ApprovalRefused, Limits, judge, same_person
from services.disbursement.service.batch_drafting import locked_batch, record
from services.disbursement.domain.finance_errors import BatchState, MakerCannotApprove, refusal_problem
from services.disbursement.service.payment_issuing import issue_payments
from services.disbursement.db.access_log import trail as access_trail
from shared.access_trail import DENIED, REFUSED
from shared.auth import Principal
from shared.catalog import Catalog
from shared.errors import DomainError
from shared.china_time import business_day, business_year
from shared.logging import get_logger

log = get_logger("disbursement.approvals")


class RefusalRecorded(Exception):
    """An approval refused (maker, daily limit, budget, same checker twice) whose refusal has been written to
    the batch's history in the caller's transaction: the caller commits, then answers with `problem`."""

    def __init__(self, problem: DomainError):
        super().__init__(problem.detail)
        self.problem = problem


def _refuse(session: Session, batch: BatchRow, checker: Principal, code: str, problem: DomainError) -> RefusalRecorded:
    """Who was refused, when and why, in the batch trail (the status does not move)."""
    record(session, batch, bs.APPROVAL_REFUSED, batch.status, checker, reason=problem.detail,
           detail={"code": code, **{k: v for k, v in problem.extra.items() if isinstance(v, (str, int))}})
    access_trail.record(session, checker, action=REFUSED, purpose="batch approval", batch_id=batch.batch_id,
                        outcome=DENIED, detail=f"{code}: {problem.detail}")
    log.info("disbursement.batch_approval_refused", batch_id=batch.batch_id, code=code)
    return RefusalRecorded(problem)


def approve_batch(session: Session, *, batch_id: str, checker: Principal, limits: Limits, catalog: Catalog) -> BatchRow:
    """Record checker's approval; issue the payments when it is the last one needed. Idempotent once approved."""
    serialise_writers_on_sqlite(session)
    batch = locked_batch(session, batch_id)
    if same_person(checker.sub, batch.maker):  # before anything else: the maker learns nothing but "no"
        raise _refuse(session, batch, checker, "maker_cannot_approve",
                      MakerCannotApprove(f"you made batch {batch_id}; another officer must approve it"))
    if batch.status == bs.APPROVED:
        return batch
    if batch.status not in bs.OPEN:
        raise BatchState(f"batch {batch_id} is {batch.status}; it cannot be approved")
    if batch.count == 0:
        raise BatchState(f"batch {batch_id} holds no claims; there is nothing to approve")
    now = datetime.now(UTC)
    year, day = business_year(now), business_day(now)
    lock_names(session, [fund_year_lock(batch.fund, year), officer_lock(checker.sub)])
    earlier = [a.checker for a in batch_repo.approvals(session, batch_id)]
    budget = payments_repo.budget(session, batch.fund, year)
    figures = ApprovalFigures(
        batch_total_fen=batch.total_fen, maker=batch.maker, checker=checker.sub, earlier_checkers=tuple(earlier),
        approved_today_fen=batch_repo.approved_on(session, checker.sub, day), fund=batch.fund, year=year,
        fund_issued_fen=payments_repo.issued_total(session, batch.fund, year),
        fund_budget_fen=budget.amount_fen if budget else None)
    try:
        completes = judge(figures, limits)
    except ApprovalRefused as refusal:
        raise _refuse(session, batch, checker, refusal.code, refusal_problem(refusal)) from None
    session.add(BatchApprovalRow(batch_id=batch_id, checker=checker.sub, checker_role=checker.role,
                                 total_fen=batch.total_fen, business_day=day, approved_at=now))
    before = batch.status
    if not completes:
        batch.status, batch.updated_at = bs.AWAITING_SECOND_APPROVAL, now
        session.add(batch)
        record(session, batch, bs.APPROVAL_RECORDED, before, checker)
        log.info("disbursement.batch_awaiting_second_approval", batch_id=batch_id)
        return batch
    payment_ids = issue_payments(session, batch, checkers=[*earlier, checker.sub], checker_role=checker.role,
                                 catalog=catalog, now=now)
    batch.status, batch.updated_at, batch.approved_at = bs.APPROVED, now, now
    session.add(batch)
    record(session, batch, bs.APPROVED_ACTION, before, checker, detail={"payments": len(payment_ids)})
    log.info("disbursement.batch_approved", batch_id=batch_id, fund=batch.fund, count=len(payment_ids))
    return batch
