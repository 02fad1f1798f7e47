"""The fund-usage report: a calendar year (China time) of the ledger, per fund and programme."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from services.audit.db import review_repo, usage_reads
from shared.china_time import day_start
from shared.money import CURRENCY, format_fen

TOTALS = ("issued", "reversed", "net", "settled")


def fund_usage_report(session: Session, year: int) -> dict[str, Any]:
    """Items per fund and programme, and per fund with its budget (null when the audit holds none)."""
    start = day_start(date(year, 1, 1))
    end = day_start(date(year + 1, 1, 1))
    usage = usage_reads.programme_usage(session, start, end)
    funds: dict[str, dict[str, int]] = {}
    items = []
    for u in usage:
        amounts = {"issued": u.issued_fen, "reversed": u.reversed_fen, "net": u.net_fen, "settled": u.settled_fen}
        totals = funds.setdefault(u.fund, dict.fromkeys(TOTALS, 0))
        for name, fen in amounts.items():
            totals[name] += fen
        items.append({"fund": u.fund, "programme": u.programme, "issued_count": u.issued_count,
                      "reversed_count": u.reversed_count, **{k: format_fen(v) for k, v in amounts.items()},
                      "currency": CURRENCY})
    budgets = review_repo.budgets(session)
    fund_rows = [{"fund": fund, **{k: format_fen(v) for k, v in totals.items()},
                  "budget": format_fen(budgets[(fund, year)]) if (fund, year) in budgets else None,
                  "currency": CURRENCY} for fund, totals in sorted(funds.items())]
    return {"year": year, "items": items, "funds": fund_rows, "next_cursor": None}
