"""A table the console shows, as the CSV file an auditor downloads: the same rows, codes and decimal strings as
the APIs give them (never a float, never a translated word), so a spreadsheet sums what the page shows."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def table_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return out.getvalue().encode()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)


def join_csv_pages(pages: Iterable[bytes]) -> bytes:
    """Pages of one CSV list (each with its header line) as one file with the header once."""
    out: list[bytes] = []
    for n, page in enumerate(pages):
        lines = page.splitlines(keepends=True)
        out += lines if n == 0 else lines[1:]
    return b"".join(out)
