"""What the auditor's pages compute from the ledger's public rows: flows per month (from entries), and per
fund the expense, payable and bank balances (from balances), so a dashboard can be checked against the books.

Posting rules (audit service): issue = Dr <fund>:expense:<programme> / Cr <fund>:payable; settlement =
Dr payable / Cr <fund>:bank; a failure reverses the issue entry."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.console.domain.formatting import yuan
from shared.china_time import CHINA_TZ

ZERO = Decimal("0.00")


@dataclass
class MonthFlow:
    month: int
    issued: Decimal = ZERO
    reversed: Decimal = ZERO
    settled: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.issued - self.reversed


def monthly_flows(entries: Iterable[dict], fund: str, year: int) -> list[MonthFlow]:
    """Twelve months (China calendar) of one fund's issues, reversals and settlements."""
    months = [MonthFlow(m) for m in range(1, 13)]
    for entry in entries:
        if entry["fund"] != fund:
            continue
        when = datetime.fromisoformat(entry["posted_at"].replace("Z", "+00:00")).astimezone(CHINA_TZ)
        if when.year != year:
            continue
        flow = months[when.month - 1]
        for posting in entry["postings"]:
            kind = posting["account"].split(":")[1] if ":" in posting["account"] else ""
            if kind == "expense":
                flow.issued += yuan(posting["debit"])
                flow.reversed += yuan(posting["credit"])
            elif kind == "bank":
                flow.settled += yuan(posting["credit"]) - yuan(posting["debit"])
    return months


@dataclass
class FundBooks:
    fund: str
    expense: Decimal = ZERO  # net issued: debit minus credit of every expense account
    payable: Decimal = ZERO  # owed to payees (a credit balance, shown positive)
    bank: Decimal = ZERO  # paid out of the bank (a credit balance, shown positive)
    accounts: list[dict] = field(default_factory=list)


def books_per_fund(balances: Iterable[dict]) -> dict[str, FundBooks]:
    books: dict[str, FundBooks] = {}
    for b in balances:
        fund_books = books.setdefault(b["fund"], FundBooks(b["fund"]))
        fund_books.accounts.append(b)
        kind = b["account"].split(":")[1] if ":" in b["account"] else ""
        if kind == "expense":
            fund_books.expense += yuan(b["balance"])
        elif kind == "payable":
            fund_books.payable -= yuan(b["balance"])
        elif kind == "bank":
            fund_books.bank -= yuan(b["balance"])
    return books
