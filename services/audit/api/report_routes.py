"""GET /v1/reports/…: reconciliation (JSON, or CSV on Accept: text/csv) and fund usage (contract §5)."""

from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import StreamingResponse

from services.audit.api.deps import DB, From, Moment, auditor, business_now, invalid, parse_day
from services.audit.api.report_formats import report_csv, report_json
from services.audit.db import review_repo, usage_reads
from services.audit.domain.chain import format_utc
from services.audit.domain.events import BUSINESS_TZ
from services.audit.reconciliation_report import reconciliation
from shared.money import format_fen

router = APIRouter(prefix="/v1/reports", tags=["reports"], dependencies=[Depends(auditor)])


@router.get("/reconciliation", responses={200: {"content": {"application/json": {}, "text/csv": {}}}})
def reconciliation_report(request: Request, db: DB, from_: From = None, to: Moment = None, fund: str | None = None,
                          accept: Annotated[str | None, Header()] = None) -> Any:
    """Per fund and per batch: approved, issued, posted, settled, failed, and every break.

    from/to are China calendar days (inclusive) selecting batches by approval day.
    """
    first_day, last_day = parse_day("from", from_), parse_day("to", to)
    if first_day and last_day and last_day < first_day:
        raise invalid("to", "must not be before from")
    settings = request.app.state.runtime.settings
    as_of = datetime.now(UTC)
    report = reconciliation(db, first_day=first_day, last_day=last_day, fund=fund, as_of=as_of,
                            unsettled_after=timedelta(days=settings.audit_unsettled_after_days))
    if accept and "text/csv" in accept:
        return StreamingResponse(report_csv(report), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="reconciliation.csv"'})
    return {"from": from_, "to": to, "fund": fund, "as_of": format_utc(as_of), **report_json(report)}


@router.get("/fund-usage")
def fund_usage(db: DB, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict[str, Any]:
    """Per fund and programme: issued, reversed (failed), net and settled in a calendar year (China time)."""
    year = year or business_now().year
    start = datetime.combine(datetime(year, 1, 1).date(), time(), BUSINESS_TZ)
    end = datetime.combine(datetime(year + 1, 1, 1).date(), time(), BUSINESS_TZ)
    usage = usage_reads.programme_usage(db, start, end)
    budgets = review_repo.budgets(db)
    funds: dict[str, dict[str, int]] = {}
    for u in usage:
        totals = funds.setdefault(u.fund, {"issued": 0, "reversed": 0, "net": 0, "settled": 0})
        for name, fen in (("issued", u.issued_fen), ("reversed", u.reversed_fen), ("net", u.net_fen),
                          ("settled", u.settled_fen)):
            totals[name] += fen
    items = [{"fund": u.fund, "programme": u.programme, "issued_count": u.issued_count, "issued": format_fen(u.issued_fen),
              "reversed_count": u.reversed_count, "reversed": format_fen(u.reversed_fen), "net": format_fen(u.net_fen),
              "settled": format_fen(u.settled_fen), "currency": "CNY"} for u in usage]
    fund_rows = [{"fund": f, **{k: format_fen(v) for k, v in t.items()},
                  "budget": format_fen(budgets[(f, year)]) if (f, year) in budgets else None, "currency": "CNY"}
                 for f, t in sorted(funds.items())]
    return {"year": year, "items": items, "funds": fund_rows, "next_cursor": None}
