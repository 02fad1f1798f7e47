"""The audit's reports as JSON and as CSV (Accept: text/csv, or ?format=csv): reconciliation (fund rows, batch rows,
then breaks), fund usage (programme, fund and month rows), the access log."""

import csv
import io
from collections.abc import Iterator
from typing import Any

from fastapi.responses import StreamingResponse

from services.audit.domain.reconciliation import Break, ReconciliationReport, ReconciliationRow
from shared.money import format_fen

STAGES = ("approved", "issued", "posted", "settled", "failed")
CSV_COLUMNS = ("record", "fund", "batch_id", "payment_id", "kind", "detail",
               *(f"{stage}_{part}" for stage in STAGES for part in ("count", "total")), "breaks")


def row_json(row: ReconciliationRow) -> dict[str, Any]:
    body: dict[str, Any] = {"fund": row.fund, "batch_id": row.batch_id}
    for stage in STAGES:
        body[f"{stage}_count"] = getattr(row, f"{stage}_count")
        body[f"{stage}_total"] = format_fen(getattr(row, f"{stage}_total_fen"))
    body.update(breaks=row.breaks, break_kinds=sorted(row.break_kinds))
    return body


def break_json(b: Break) -> dict[str, Any]:
    return {"kind": b.kind, "payment_id": b.payment_id, "batch_id": b.batch_id, "fund": b.fund, "detail": b.detail}


def report_json(report: ReconciliationReport) -> dict[str, Any]:
    return {"currency": "CNY", "funds": [row_json(r) for r in report.funds],
            "batches": [row_json(r) for r in report.batches], "breaks": [break_json(b) for b in report.breaks]}


def report_csv(report: ReconciliationReport) -> Iterator[str]:
    """CSV lines, header first; totals in yuan with two places."""
    yield _line(CSV_COLUMNS)
    for record, rows in (("fund", report.funds), ("batch", report.batches)):
        for row in rows:
            body = row_json(row)
            yield _line([record, row.fund, row.batch_id or "", "", ";".join(body["break_kinds"]), "",
                         *(body[c] for c in CSV_COLUMNS[6:])])
    for b in report.breaks:
        yield _line(["break", b.fund or "", b.batch_id or "", b.payment_id or "", b.kind, b.detail,
                     *([""] * (len(CSV_COLUMNS) - 6))])


USAGE_COLUMNS = ("record", "month", "fund", "programme", "issued_count", "reversed_count", "issued", "reversed",
                 "net", "settled", "budget", "currency")


def usage_csv(report: dict[str, Any]) -> Iterator[str]:
    """Fund usage: a row per fund and programme, per fund (with its budget), per month and fund."""
    yield _line(USAGE_COLUMNS)
    for record, rows in (("programme", report["items"]), ("fund", report["funds"]), ("month", report["months"])):
        for row in rows:
            yield _line([record, *(row.get(c) if row.get(c) is not None else "" for c in USAGE_COLUMNS[1:])])


def rows_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Iterator[str]:
    """Any list of flat records (a list value is joined with ';')."""
    yield _line(columns)
    for row in rows:
        yield _line([";".join(v) if isinstance(v, list) else ("" if v is None else v)
                     for v in (row.get(c) for c in columns)])


def wants_csv(accept: str | None, format_: str | None) -> bool:
    return format_ == "csv" or bool(accept and "text/csv" in accept)


def csv_response(lines: Iterator[str], name: str) -> StreamingResponse:
    return StreamingResponse(lines, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _line(values: Any) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()
