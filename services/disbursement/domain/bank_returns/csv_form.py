"""The CSV form of a bank return file: one payment outcome per line, under a header line.

    end_to_end_id,status,amount,currency,reason_code,reason,value_date
    PAY-0001,SETTLED,1500.00,CNY,,,2024-05-02
    PAY-0002,FAILED,0.01,CNY,AC04,Closed account,

| column | required | content |
|---|---|---|
| `end_to_end_id` | yes | the EndToEndId of the pain.001 transaction, i.e. our payment id (at most 35 characters) |
| `status` | yes | `SETTLED` (money credited to the payee) or `FAILED` (not paid); case-insensitive |
| `amount` | yes | the payment's amount in yuan, at most two decimals, no sign or separators (`1500.00`, `0.01`) |
| `currency` | yes | ISO 4217 code, `CNY` |
| `reason_code` | for FAILED | the bank's reason: ISO 20022 status reason (`AC04`, `AM04`, …) or its own code (≤ 35 characters) |
| `reason` | no | free text explaining the reason (≤ 500 characters) |
| `value_date` | no | `YYYY-MM-DD`: the date the money moved (or the rejection was booked) |

UTF-8, with or without a byte-order mark; comma-separated; fields may be double-quoted (RFC 4180),
but a record never spans lines, so that one stray quote spoils one line rather than the rest of the
file. The header is the first non-blank line and must name every column above, in any order;
other columns are ignored. Blank lines are skipped. line_no is the physical line (the header is
usually line 1). A line that cannot be read becomes a ReturnLineError and reading goes on.
"""

import csv
import io
from dataclasses import dataclass

from services.disbursement.domain.bank_returns.lines import (
    FieldError,
    Outcome,
    ParsedReturns,
    ReturnLine,
    ReturnLineError,
    collect,
    parse_amount,
    parse_currency,
    parse_end_to_end_id,
    parse_reason,
    parse_reason_code,
    parse_value_date,
)

COLUMNS = ("end_to_end_id", "status", "amount", "currency", "reason_code", "reason", "value_date")
STATUSES: dict[str, Outcome] = {"SETTLED": "settled", "FAILED": "failed"}
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class _Header:
    position: dict[str, int]  # column name -> index of its field
    width: int  # every record must have exactly as many fields as the header


def parse_returns_csv(data: bytes | str) -> ParsedReturns:
    """Read a CSV bank return file; bad lines (and a bad header, as line 0) are reported, never raised."""
    lines: list[ReturnLine] = []
    errors: list[ReturnLineError] = []
    header: _Header | None = None
    for line_no, raw in _physical_lines(data):
        if not raw.strip():
            continue
        try:
            fields = _split(raw)
            if header is None:
                header = _read_header(fields)
                continue
        except FieldError as exc:
            if header is None:  # without a header no line can be read: the whole file is refused
                return ParsedReturns("csv", (), (ReturnLineError(0, f"line {line_no}: {exc}"),))
            errors.append(ReturnLineError(line_no, f"line {line_no}: {exc}"))
            continue
        entry = _read_record(line_no, fields, header)
        (lines if isinstance(entry, ReturnLine) else errors).append(entry)
    if header is None:
        errors.append(ReturnLineError(0, "the file is empty: expected a header line naming " + ",".join(COLUMNS)))
    return ParsedReturns("csv", tuple(lines), tuple(errors))


def _physical_lines(data: bytes | str) -> list[tuple[int, str]]:
    if isinstance(data, bytes):
        # surrogateescape keeps undecodable bytes as lone surrogates: the line holding them is
        # reported on its own instead of the whole file failing to decode.
        text = data.decode("utf-8", errors="surrogateescape")
    else:
        text = data
    text = text.removeprefix(_BOM)
    # newline=None splits on \n, \r\n and \r only (str.splitlines would also split on U+2028 & co.,
    # and the line numbers would no longer match what an editor shows).
    return [(n, line.rstrip("\n")) for n, line in enumerate(io.StringIO(text, newline=None), start=1)]


def _split(raw: str) -> list[str]:
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        raise FieldError("the line is not valid UTF-8")
    try:
        return next(csv.reader([raw], strict=True))
    except csv.Error:
        raise FieldError("badly quoted field (a double quote must open and close a whole field)") from None


def _read_header(fields: list[str]) -> _Header:
    names = [field.strip().lower() for field in fields]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise FieldError(f"the first line must be a header naming {','.join(COLUMNS)}; missing: {','.join(missing)}")
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        raise FieldError(f"the header names a column twice: {','.join(repeated)}")
    return _Header({name: names.index(name) for name in COLUMNS}, len(names))


def _read_record(line_no: int, fields: list[str], header: _Header) -> ReturnLine | ReturnLineError:
    if len(fields) != header.width:
        message = f"line {line_no}: expected {header.width} fields as in the header, found {len(fields)}"
        return ReturnLineError(line_no, message)
    value = {column: fields[header.position[column]] for column in COLUMNS}
    problems: list[str] = []
    end_to_end_id = collect(problems, parse_end_to_end_id, value["end_to_end_id"])
    outcome = STATUSES.get(value["status"].strip().upper())
    if outcome is None:
        problems.append("status must be SETTLED or FAILED")
    amount_fen = collect(problems, parse_amount, value["amount"])
    currency = collect(problems, parse_currency, value["currency"])
    reason_code = collect(problems, parse_reason_code, value["reason_code"], outcome or "settled")
    reason = collect(problems, parse_reason, value["reason"])
    value_date = collect(problems, parse_value_date, value["value_date"])
    if problems:
        return ReturnLineError(line_no, f"line {line_no}: " + "; ".join(problems), end_to_end_id)
    return ReturnLine(line_no, end_to_end_id, outcome, amount_fen, currency, reason_code, reason, value_date)

