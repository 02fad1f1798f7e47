"""Issuing a batch's payments at its final approval: one payment per item, the claims' statuses, and
in the same transaction the outbox rows of one grants.payment.issued per payment and one
grants.batch.approved with the control totals (contract §6)."""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from services.disbursement.db import batch_repo, payee_changes_repo, payments_repo
from services.disbursement.db.batch_tables import BatchRow
from services.disbursement.db.tables import outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.service import finance_event_data
from services.disbursement.domain.iso20022_ids import new_payment_id
from services.disbursement.domain.finance_errors import BatchState
from shared.catalog import Catalog
from shared.china_time import business_year
from shared.events import BATCH_APPROVED, DISBURSEMENT_SOURCE, PAYMENT_ISSUED, new_event
from shared.money import CURRENCY
from shared.outbox import enqueue_many



def issue_payments(session: Session, batch: BatchRow, *, checkers: list[str], checker_role: str,
                   catalog: Catalog, now: datetime) -> list[str]:
    """Create the batch's payments and stage their events; returns the payment ids in item order."""
    rows = batch_repo.issue_rows(session, batch.batch_id)
    stray = [row.claim_id for row in rows if row.status != bs.IN_BATCH]
    if stray:  # a claim must be held by this batch when its money goes out
        raise BatchState(f"{len(stray)} claim(s) of batch {batch.batch_id} are no longer in it", claim_ids=stray[:20])
    payments: list[dict[str, Any]] = []
    events = []
    year, kinds = business_year(now), _ClaimantKinds(catalog)
    changes = payee_changes_repo.counts(session, [row.claim_id for row in rows])
    for row in rows:
        payment = {"payment_id": new_payment_id(), "batch_id": batch.batch_id, "claim_id": row.claim_id,
                   "fund": batch.fund, "programme": row.programme, "amount_fen": row.amount_fen,
                   "currency": CURRENCY, "beneficiary_ref": row.beneficiary_ref, "payee_ref": row.payee_ref,
                   "status": bs.ISSUED, "budget_year": year, "issued_at": now}
        payments.append(payment)
        data = finance_event_data.payment_issued(
            payment, policy_id=row.policy_id, clause=row.clause, qualifying_key=row.qualifying_key,
            qualifying_date=row.qualifying_date, grant=row.record, beneficiary_kind=kinds(row.policy_id, row.programme),
            maker=batch.maker, checkers=checkers, checker_role=checker_role,
            payee_name_matches=row.payee_name_matches, payee_changes=changes.get(row.claim_id, 0))
        # The payments topic is keyed by beneficiary: one payee's payments stay in order.
        events.append((new_event(PAYMENT_ISSUED, DISBURSEMENT_SOURCE, payment["payment_id"], data), row.beneficiary_ref))
    payments_repo.add_payments(session, payments)
    batch_repo.set_decision_status(session, [p["claim_id"] for p in payments], bs.PAYMENT_ISSUED)
    payment_ids = [p["payment_id"] for p in payments]
    approved = finance_event_data.batch_approved(batch, payment_ids, checkers, now)
    events.append((new_event(BATCH_APPROVED, DISBURSEMENT_SOURCE, batch.batch_id, approved), batch.batch_id))
    enqueue_many(session, outbox, events)
    return payment_ids


class _ClaimantKinds:
    """"person" or "organisation" per policy and programme, from the catalog (None if it no longer has it)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.known: dict[tuple[str, str], str | None] = {}

    def __call__(self, policy_id: str, programme: str) -> str | None:
        if (policy_id, programme) not in self.known:
            try:
                self.known[policy_id, programme] = self.catalog.programme(policy_id, programme).claimant
            except KeyError:
                self.known[policy_id, programme] = None
        return self.known[policy_id, programme]
