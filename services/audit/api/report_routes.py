"""GET /v1/reports/…: reconciliation and fund usage (contract §5), as JSON or CSV (Accept: text/csv or ?format=csv)."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request

from services.audit.api.deps import DB, From, Moment, ReportFormat, auditor, parse_day
from services.audit.api.report_formats import csv_response, report_csv, report_json, usage_csv, wants_csv
from services.audit.api.schemas import FundUsagePage, ReconciliationOut
from services.audit.domain.chain import format_utc
from services.audit.service.fund_usage_report import fund_usage_report
from services.audit.service.reconciliation_report import reconciliation
from shared.china_time import business_year
from shared.errors import invalid
from shared.pagination import slice_page
from shared.web.query import Cursor, Limit

router = APIRouter(prefix="/v1/reports", tags=["reports"], dependencies=[Depends(auditor)])


@router.get("/reconciliation", response_model=ReconciliationOut,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "JSON, or CSV on Accept: text/csv or ?format=csv"}})
def reconciliation_report(request: Request, db: DB, from_: From = None, to: Moment = None, fund: str | None = None,
                          accept: Annotated[str | None, Header()] = None, format: ReportFormat = None) -> Any:
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
    if wants_csv(accept, format):
        return csv_response(report_csv(report), "reconciliation")
    return {"from": from_, "to": to, "fund": fund, "as_of": format_utc(as_of), **report_json(report)}


@router.get("/fund-usage", response_model=FundUsagePage,
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}},
                             "description": "JSON, or CSV on Accept: text/csv or ?format=csv"}})
def fund_usage(db: DB, year: Annotated[int | None, Query(ge=2000, le=2100)] = None, limit: Limit = 50,
               cursor: Cursor = None, accept: Annotated[str | None, Header()] = None,
               format: ReportFormat = None) -> Any:
    """Per fund and programme: issued, reversed (failed), net and settled in a calendar year (China time);
    `items` are paged, `funds` (one row a fund) and `months` (per month and fund) come whole with every page.
    As CSV (Accept: text/csv or ?format=csv): every row of the year, unpaged."""
    report = fund_usage_report(db, year or business_year(datetime.now(UTC)))
    if wants_csv(accept, format):
        return csv_response(usage_csv(report), f"fund-usage-{report['year']}")
    report["items"], report["next_cursor"] = slice_page(report["items"], limit, cursor)
    return report
