"""Fund usage from the ledger: per fund and programme, what was issued, reversed and settled in a window."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from services.audit.db.ledger_repo import ENTRIES, POSTINGS


@dataclass
class ProgrammeUsage:
    fund: str
    programme: str
    issued_count: int = 0
    issued_fen: int = 0  # expense debited by issues
    reversed_count: int = 0
    reversed_fen: int = 0  # expense credited back by failed payments
    settled_fen: int = 0  # paid out by the bank (payable -> bank), traced to the programme of its issue

    @property
    def net_fen(self) -> int:
        return self.issued_fen - self.reversed_fen


def programme_usage(session: Session, start: datetime, end: datetime) -> list[ProgrammeUsage]:
    """Entries posted in [start, end), grouped by fund and programme (the expense account's last segment)."""
    expense = POSTINGS.c.account.like(POSTINGS.c.fund + ":expense:%")
    query = (select(POSTINGS.c.fund, POSTINGS.c.account,
                    func.sum(case((POSTINGS.c.debit_fen > 0, 1), else_=0)), func.sum(POSTINGS.c.debit_fen),
                    func.sum(case((POSTINGS.c.credit_fen > 0, 1), else_=0)), func.sum(POSTINGS.c.credit_fen))
             .join(ENTRIES, ENTRIES.c.entry_id == POSTINGS.c.entry_id)
             .where(expense, ENTRIES.c.posted_at >= start, ENTRIES.c.posted_at < end)
             .group_by(POSTINGS.c.fund, POSTINGS.c.account))
    usage: dict[str, ProgrammeUsage] = {}
    for fund, account, n_debit, debit, n_credit, credit in session.execute(query):
        usage[account] = ProgrammeUsage(fund, _programme(fund, account), int(n_debit), int(debit), int(n_credit),
                                        int(credit))
    for fund, account, settled in session.execute(_settled_by_programme(start, end)):
        usage.setdefault(account, ProgrammeUsage(fund, _programme(fund, account))).settled_fen = int(settled)
    return sorted(usage.values(), key=lambda u: (u.fund, u.programme))


def _settled_by_programme(start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    """Bank credits of settlements posted in the window, summed under their payment's expense account."""
    settle_entry, issue_entry = aliased(ENTRIES), aliased(ENTRIES)
    bank, issue = aliased(POSTINGS), aliased(POSTINGS)
    return (select(issue.c.fund, issue.c.account, func.sum(bank.c.credit_fen))
            .select_from(bank)
            .join(settle_entry, settle_entry.c.entry_id == bank.c.entry_id)
            .join(issue_entry, and_(issue_entry.c.payment_id == settle_entry.c.payment_id,
                                    issue_entry.c.fund == settle_entry.c.fund))
            .join(issue, and_(issue.c.entry_id == issue_entry.c.entry_id, issue.c.debit_fen > 0,
                              issue.c.account.like(issue.c.fund + ":expense:%")))
            .where(bank.c.account == bank.c.fund + ":bank", bank.c.credit_fen > 0,
                   settle_entry.c.posted_at >= start, settle_entry.c.posted_at < end)
            .group_by(issue.c.fund, issue.c.account))


def _programme(fund: str, account: str) -> str:
    return account[len(fund) + len(":expense:"):]
