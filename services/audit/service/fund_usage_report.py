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
    return {"year": year, "items": items, "funds": fund_rows, "months": monthly_usage(session, year),
            "next_cursor": None}


def monthly_usage(session: Session, year: int) -> list[dict[str, Any]]:
    """Per China calendar month (YYYY-MM) and fund: issued, reversed, net and settled posted in that month; months
    with nothing posted are left out. Twelve windows of the same query as the year's."""
    rows = []
    for month in range(1, 13):
        start = day_start(date(year, month, 1))
        end = day_start(date(year + month // 12, month % 12 + 1, 1))
        funds: dict[str, dict[str, int]] = {}
        for u in usage_reads.programme_usage(session, start, end):
            totals = funds.setdefault(u.fund, dict.fromkeys((*TOTALS, "issued_count", "reversed_count"), 0))
            for name, value in (("issued", u.issued_fen), ("reversed", u.reversed_fen), ("net", u.net_fen),
                                ("settled", u.settled_fen), ("issued_count", u.issued_count),
                                ("reversed_count", u.reversed_count)):
                totals[name] += value
        rows += [{"month": f"{year}-{month:02d}", "fund": fund, "issued_count": t["issued_count"],
                  "reversed_count": t["reversed_count"], **{k: format_fen(t[k]) for k in TOTALS},
                  "currency": CURRENCY} for fund, t in sorted(funds.items())]
    return rows
