"""The anomaly rules' inputs: payment facts, running totals per fund-year and batch, and the queue of groups due.

Every read is by one group's index (a person, a payee, a qualifying key, a fund-year, a maker, a batch), so
its cost follows the group, never the history.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from services.audit.db.anomaly_tables import AnomalyBatchRow, AnomalyScopeDueRow, FundYearTotalRow, PaymentFactRow
from services.audit.db.review_tables import ApprovedPaymentRow, FundBudgetRow
from services.audit.db.tables import ReceivedEvent
from services.audit.domain.anomalies.scopes import Scope
from services.audit.domain.events import BatchApproved, IssuedPayment
from shared.bulk import among, copy_rows, insert_many
from shared.china_time import business_year

FACTS, TOTALS, BATCHES, DUE = (PaymentFactRow.__table__, FundYearTotalRow.__table__, AnomalyBatchRow.__table__,
                               AnomalyScopeDueRow.__table__)
RECEIVED, APPROVED, BUDGETS = ReceivedEvent.__table__, ApprovedPaymentRow.__table__, FundBudgetRow.__table__
FACT_FIELDS = ("event_id", "payment_id", "claim_id", "batch_id", "programme", "policy_id", "clause", "fund",
               "amount_fen", "beneficiary_ref", "payee_ref", "qualifying_key", "qualifying_date", "maker", "checker",
               "issued_at", "subject_ref", "tier", "units", "checker_role", "beneficiary_kind")


def failed_among(session: Session, payment_ids: Sequence[str]) -> set[str]:
    """Which of these payments the bank has returned as failed (an outcome may arrive before its issue)."""
    if not payment_ids:
        return set()
    query = select(RECEIVED.c.payment_id).where(among(session, RECEIVED.c.payment_id, list(payment_ids)),
                                                RECEIVED.c.fact == "failed")
    return set(session.execute(query).scalars())


def record_payments(session: Session, payments: Sequence[IssuedPayment], failed: set[str]) -> list[dict[str, Any]]:
    """Keep each payment's first fact; returns the rows inserted now (a payment seen before is skipped)."""
    rows = [{**{name: getattr(p, name) for name in FACT_FIELDS}, "person_ref": p.person_ref,
             "year": business_year(p.issued_at), "failed": p.payment_id in failed} for p in payments]
    new = set(insert_many(session, FACTS, rows, conflict_on=["payment_id"], returning="payment_id"))
    return [row for row in rows if row["payment_id"] in new]


def mark_failed(session: Session, payment_ids: Sequence[str]) -> list[IssuedPayment]:
    """Set failed on these payments' facts; returns those that were not failed before."""
    if not payment_ids:
        return []
    statement = (update(FACTS).where(among(session, FACTS.c.payment_id, list(payment_ids)), FACTS.c.failed.is_(False))
                 .values(failed=True).returning(*(FACTS.c[name] for name in FACT_FIELDS)))
    return [to_payment(row) for row in session.execute(statement)]


def _upsert(session: Session, table, values: dict[str, Any], keys: list[str], increments: dict[str, Any]):  # type: ignore[no-untyped-def]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(**values)
    return session.execute(statement.on_conflict_do_update(index_elements=keys, set_=increments(statement.excluded)))


def add_to_fund_year(session: Session, fund: str, year: int, issued_fen: int, failed_fen: int) -> None:
    _upsert(session, TOTALS, {"fund": fund, "year": year, "issued_fen": issued_fen, "failed_fen": failed_fen},
            ["fund", "year"], lambda new: {"issued_fen": TOTALS.c.issued_fen + new.issued_fen,
                                           "failed_fen": TOTALS.c.failed_fen + new.failed_fen})


def note_batch_events(session: Session, batch_id: str, issued_events: int, at: datetime) -> None:
    _upsert(session, BATCHES, {"batch_id": batch_id, "issued_events": issued_events, "changed_at": at},
            ["batch_id"], lambda new: {"issued_events": BATCHES.c.issued_events + new.issued_events,
                                       "changed_at": new.changed_at})


def note_approval(session: Session, b: BatchApproved, received_at: datetime) -> None:
    values = {"maker": b.maker, "total_fen": b.total_fen, "approved_at": b.approved_at,
              "approval_received_at": received_at}
    _upsert(session, BATCHES, {"batch_id": b.batch_id, "issued_events": 0, "changed_at": received_at, **values},
            ["batch_id"], lambda new: {**{k: getattr(new, k) for k in values}, "changed_at": new.changed_at})


ROUND_LOCK = 0x6772616E7473A0  # the anomaly worker's advisory lock: one replica judges at a time


def try_round_lock(session: Session) -> bool:
    """Take the transaction's anomaly round lock (PostgreSQL); SQLite serialises writers anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": ROUND_LOCK}).scalar_one())


def queue(session: Session, scopes: Iterable[Scope]) -> None:
    """Queue the scopes to be judged (a queue: no key); left unsettled, the caller's next statement settles it."""
    copy_rows(session, DUE, [{"scope": scope, "key": key} for scope, key in sorted(set(scopes))], settle_later=True)


def due_scopes(session: Session, limit: int) -> list[tuple[int, str, str]]:
    """The oldest queued groups (id, scope, key); the same group may be queued more than once."""
    return [tuple(r) for r in session.execute(select(DUE.c.id, DUE.c.scope, DUE.c.key).order_by(DUE.c.id).limit(limit))]


def dequeue(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(delete(DUE).where(among(session, DUE.c.id, list(ids))))


def queued(session: Session) -> int:
    return session.execute(select(func.count()).select_from(DUE)).scalar_one()


def payments_where(session: Session, *conditions, granted_only: bool = False) -> list[IssuedPayment]:  # type: ignore[no-untyped-def]
    query = select(*(FACTS.c[name] for name in FACT_FIELDS)).where(*conditions)
    if granted_only:
        query = query.where(FACTS.c.failed.is_(False))
    return [to_payment(row) for row in session.execute(query)]


def by_qualifying_keys(session: Session, triples: Sequence[tuple[str, str, str]]) -> list:
    """Members of these (policy, programme, qualifying key) groups, or of their cross combinations (the caller
    tells them apart). All three columns, so the read goes through ix_payment_facts_qualifying, whose leading
    columns they are: on the key alone PostgreSQL scans the whole table (360 ms at 500,000 facts, 28 ms so)."""
    return [among(session, FACTS.c.policy_id, sorted({p for p, _, _ in triples})),
            among(session, FACTS.c.programme, sorted({g for _, g, _ in triples})),
            among(session, FACTS.c.qualifying_key, sorted({q for _, _, q in triples}))]


def by_persons(session: Session, person_refs: Sequence[str]) -> list:
    return [among(session, FACTS.c.person_ref, list(person_refs))]


def by_payees(session: Session, payee_refs: Sequence[str]) -> list:
    return [among(session, FACTS.c.payee_ref, list(payee_refs))]


def first_granted_per_beneficiary(session: Session, payee_refs: Sequence[str]) -> list[IssuedPayment]:
    """Each beneficiary's first granted payment (in issue order) into these accounts: what the account rule reads,
    one row a beneficiary, so an employer's account paid thousands of times for its hires costs one row."""
    position = func.row_number().over(partition_by=(FACTS.c.payee_ref, FACTS.c.beneficiary_ref),
                                      order_by=(FACTS.c.issued_at, FACTS.c.payment_id))
    ranked = (select(FACTS.c.payment_id, position.label("position"))
              .where(*by_payees(session, payee_refs), FACTS.c.failed.is_(False)).subquery())
    return payments_where(session, FACTS.c.payment_id.in_(select(ranked.c.payment_id).where(ranked.c.position == 1)))


def by_personal_payees(session: Session, payee_refs: Sequence[str]) -> list:
    return [*by_payees(session, payee_refs), FACTS.c.beneficiary_kind == "person"]


def of_batch(batch_id: str) -> list:
    return [FACTS.c.batch_id == batch_id]


def budget_years(session: Session) -> list[tuple[str, int]]:
    return [tuple(r) for r in session.execute(select(BUDGETS.c.fund, BUDGETS.c.year))]


def fund_year_total(session: Session, fund: str, year: int) -> int | None:
    """Issued less failed for the fund-year; None when it issued nothing."""
    row = session.execute(select(TOTALS).where(TOTALS.c.fund == fund, TOTALS.c.year == year)).one_or_none()
    return None if row is None else row.issued_fen - row.failed_fen


def budget_crossing(session: Session, fund: str, year: int, budget_fen: int) -> tuple[IssuedPayment, int] | None:
    """The granted payment (in issue order) whose running total first passed the budget, and how many came after."""
    running = func.sum(FACTS.c.amount_fen).over(order_by=(FACTS.c.issued_at, FACTS.c.payment_id))
    position = func.row_number().over(order_by=(FACTS.c.issued_at, FACTS.c.payment_id))
    ranked = (select(FACTS.c.payment_id, running.label("running"), position.label("position"))
              .where(FACTS.c.fund == fund, FACTS.c.year == year, FACTS.c.failed.is_(False)).subquery())
    first = session.execute(select(ranked.c.payment_id, ranked.c.position).where(ranked.c.running > budget_fen)
                            .order_by(ranked.c.position).limit(1)).one_or_none()
    if first is None:
        return None
    count = session.execute(select(func.count()).select_from(FACTS).where(
        FACTS.c.fund == fund, FACTS.c.year == year, FACTS.c.failed.is_(False))).scalar_one()
    [payment] = payments_where(session, FACTS.c.payment_id == first.payment_id)
    return payment, count - first.position


def approvals_near(session: Session, maker: str, floor_fen: int, ceiling_fen: int) -> list[BatchApproved]:
    """The maker's approvals whose total lies in [floor, ceiling], with the payment ids they list."""
    rows = session.execute(select(BATCHES).where(BATCHES.c.maker == maker, BATCHES.c.total_fen >= floor_fen,
                                                 BATCHES.c.total_fen <= ceiling_fen,
                                                 BATCHES.c.approved_at.is_not(None))).all()
    return [BatchApproved("", r.batch_id, "", 0, r.total_fen, tuple(_members(session, r.batch_id)), r.maker, "",
                          r.approved_at) for r in rows]


def _members(session: Session, batch_id: str) -> list[str]:
    return list(session.execute(select(APPROVED.c.payment_id).where(APPROVED.c.batch_id == batch_id)
                                .order_by(APPROVED.c.payment_id)).scalars())


def batches_due(session: Session, settled_before: datetime, limit: int) -> list[tuple[str, datetime]]:
    """Approved batches changed since last judged whose approval is older than settled_before, with when they changed."""
    latest = func.coalesce(BATCHES.c.approval_received_at, BATCHES.c.approved_at)
    query = (select(BATCHES.c.batch_id, BATCHES.c.changed_at)
             .where(BATCHES.c.changed_at.is_not(None), BATCHES.c.approved_at.is_not(None),
                    BATCHES.c.approved_at <= settled_before, latest <= settled_before)
             .order_by(BATCHES.c.changed_at).limit(limit))
    return [tuple(r) for r in session.execute(query)]


def judged(session: Session, batch_id: str, changed_at: datetime) -> None:
    """Clear the batch's mark, unless something arrived meanwhile (its changed_at moved on)."""
    session.execute(update(BATCHES).where(BATCHES.c.batch_id == batch_id, BATCHES.c.changed_at == changed_at)
                    .values(changed_at=None))


def issued_events_of(session: Session, batch_id: str) -> int:
    row = session.execute(select(BATCHES.c.issued_events).where(BATCHES.c.batch_id == batch_id)).scalar_one_or_none()
    return row or 0


def approval_payloads(session: Session, batch_id: str) -> list[tuple[dict[str, Any], datetime]]:
    query = (select(RECEIVED.c.payload, RECEIVED.c.received_at)
             .where(RECEIVED.c.batch_id == batch_id, RECEIVED.c.fact == "approved").order_by(RECEIVED.c.id))
    return [(payload, at if at.tzinfo else at.replace(tzinfo=UTC)) for payload, at in session.execute(query)]


def to_payment(row) -> IssuedPayment:  # type: ignore[no-untyped-def]
    return IssuedPayment(**{name: getattr(row, name) for name in FACT_FIELDS})


def refs_of_payments(session: Session, payment_ids: Sequence[str]) -> dict[str, tuple[str, str, str]]:
    """payment id -> (claim_id, batch_id, programme), for the ledger's entries."""
    if not payment_ids:
        return {}
    query = select(FACTS.c.payment_id, FACTS.c.claim_id, FACTS.c.batch_id, FACTS.c.programme).where(
        among(session, FACTS.c.payment_id, list(set(payment_ids))))
    return {r.payment_id: (r.claim_id, r.batch_id, r.programme) for r in session.execute(query)}

