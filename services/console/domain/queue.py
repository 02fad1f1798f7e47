"""The officer's queue: eligible entitlements grouped by fund and programme, with counts and totals."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from services.console.domain.formatting import yuan


@dataclass
class QueueRow:
    fund: str
    programme: str
    count: int = 0
    total: Decimal = Decimal("0.00")
    oldest: str | None = None  # decided_at of the oldest entitlement (ISO)


def group_entitlements(items: Iterable[dict]) -> list[QueueRow]:
    rows: dict[tuple[str, str], QueueRow] = {}
    for item in items:
        row = rows.setdefault((item["fund"], item["programme"]), QueueRow(item["fund"], item["programme"]))
        row.count += 1
        row.total += yuan(item["amount"])
        if row.oldest is None or item["decided_at"] < row.oldest:
            row.oldest = item["decided_at"]
    return [rows[key] for key in sorted(rows)]


def fund_totals(rows: Iterable[QueueRow]) -> dict[str, tuple[int, Decimal]]:
    out: dict[str, tuple[int, Decimal]] = {}
    for row in rows:
        count, total = out.get(row.fund, (0, Decimal("0.00")))
        out[row.fund] = (count + row.count, total + row.total)
    return out
