"""POST /v1/bank-statements: a camt.053 (or camt.054) statement of a fund's paying account, matched against that
fund's payments (domain.bank_statements); the answer reports what matched and what is unmatched on either side.
No payment changes: a statement confirms or questions what the bank returns already applied. The outcome is
staged, in the same transaction, as one grants.bank_statement.reconciled event: the audit keeps each side's
unmatched entries as reconciliation breaks until a later statement matches them."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from services.disbursement.config import FundAccount
from services.disbursement.db import payments_repo
from services.disbursement.domain.bank_statements.camt_form import StatementUnreadable, parse_statement
from services.disbursement.db.tables import outbox
from services.disbursement.domain.bank_statements.camt_form import Statement
from services.disbursement.domain.bank_statements.matching import PaymentFact, Reconciled, reconcile
from shared.china_time import business_day, day_start
from shared.errors import ValidationFailed, invalid
from shared.events import BANK_STATEMENT_RECONCILED, DISBURSEMENT_SOURCE, new_event
from shared.identifiers import pseudonymise
from shared.money import format_fen
from shared.outbox import enqueue


def reconcile_statement(session: Session, data: bytes, accounts: dict[str, FundAccount], pii_key: str) -> dict[str, Any]:
    try:
        statement = parse_statement(data)
    except StatementUnreadable as exc:
        raise ValidationFailed(f"the bank statement cannot be read: {exc}",
                               errors=[{"field": "body", "message": str(exc)}]) from None
    fund = next((f for f, a in accounts.items() if a.account_number == statement.account), None)
    if fund is None:
        raise invalid("Acct", "the statement's account is none of the funds' paying accounts (GRANTS_FUND_ACCOUNTS)")
    since = until = None
    if statement.period is not None:
        since = day_start(statement.period[0])
        until = day_start(statement.period[1] + timedelta(days=1))
    rows = payments_repo.statement_candidates(
        session, fund, [d.end_to_end_id for d in statement.debits if d.end_to_end_id],
        sorted({d.message_id for d in statement.debits if d.message_id}), since, until)
    payments = {p.payment_id: PaymentFact(p.payment_id, p.batch_id, p.amount_fen, p.currency, p.status,
                                          business_day(p.outcome_at) if p.outcome_at else None,
                                          business_day(p.issued_at)) for p in rows}
    result = reconcile(statement, payments)
    data = event_data(statement, fund, result, payments, pseudonymise(statement.account, pii_key))
    enqueue(session, outbox, new_event(BANK_STATEMENT_RECONCILED, DISBURSEMENT_SOURCE, statement.statement_id, data),
            fund)
    return {
        "form": statement.form, "statement_id": statement.statement_id, "fund": fund,
        "period": [d.isoformat() for d in statement.period] if statement.period else None,
        "debits": len(statement.debits), "matched": [{"entry_no": n, "payment_id": p} for n, p in result.matched],
        "unmatched_entries": [{"entry_no": u.entry_no, "reference": u.reference, "amount": format_fen(u.amount_fen),
                               "reason": u.reason} for u in result.unmatched_entries],
        "unmatched_payments": [{"payment_id": p.payment_id, "batch_id": p.batch_id, "amount": format_fen(p.amount_fen),
                                "status": p.status} for p in result.unmatched_payments],
        "currency": "CNY",
    }


def event_data(statement: Statement, fund: str, result: Reconciled, payments: dict[str, PaymentFact],
               account_ref: str) -> dict[str, Any]:
    """The grants.bank_statement.reconciled data (shared.event_schemas): references, amounts and days only,
    the account by its pseudonym, never a payee's name or account."""
    booked = {d.entry_no: d for d in statement.debits}

    def matched(entry_no: int, payment_id: str) -> dict[str, Any]:
        debit = booked[entry_no]
        return {"entry_no": entry_no, "end_to_end_id": None if debit.message_id else payment_id,  # = payment id
                "message_id": debit.message_id,
                "amount": format_fen(payments[payment_id].amount_fen),
                "booked_on": debit.booked_on.isoformat() if debit.booked_on else None, "payment_id": payment_id}

    return {
        "statement_id": statement.statement_id, "form": statement.form, "fund": fund, "account_ref": account_ref,
        "period": [d.isoformat() for d in statement.period] if statement.period else None, "currency": "CNY",
        "reconciled_at": datetime.now(UTC).isoformat(),
        "matched": [matched(n, p) for n, p in result.matched],
        "unmatched_entries": [{"entry_no": u.entry_no, "end_to_end_id": u.end_to_end_id, "message_id": u.message_id,
                               "amount": format_fen(u.amount_fen),
                               "booked_on": u.booked_on.isoformat() if u.booked_on else None, "reason": u.reason}
                              for u in result.unmatched_entries],
        "unmatched_payments": [{"payment_id": p.payment_id, "batch_id": p.batch_id,
                                "amount": format_fen(p.amount_fen), "status": p.status}
                               for p in result.unmatched_payments],
    }
