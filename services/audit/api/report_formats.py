"""The reconciliation report as JSON and as CSV: the same rows, fund rows, batch rows, then breaks."""

import csv
import io
from collections.abc import Iterator
from typing import Any

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


def _line(values: Any) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()
