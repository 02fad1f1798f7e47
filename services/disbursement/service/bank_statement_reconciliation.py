"""POST /v1/bank-statements: a camt.053 (or camt.054) statement of a fund's paying account, matched against that
fund's payments (domain.bank_statements); the answer reports what matched and what is unmatched on either side.
Nothing is changed: a statement confirms or questions what the bank returns already applied."""

from datetime import timedelta
from typing import Any

from sqlmodel import Session

from services.disbursement.config import FundAccount
from services.disbursement.db import payments_repo
from services.disbursement.domain.bank_statements.camt_form import StatementUnreadable, parse_statement
from services.disbursement.domain.bank_statements.matching import PaymentFact, reconcile
from shared.china_time import business_day, day_start
from shared.errors import ValidationFailed, invalid
from shared.money import format_fen


def reconcile_statement(session: Session, data: bytes, accounts: dict[str, FundAccount]) -> dict[str, Any]:
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
