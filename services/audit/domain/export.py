"""The ledger export: JSON Lines, one entry per line, in the shape of GET /v1/ledger/entries items.

    {"entry_id", "seq", "fund", "event_id", "payment_id",
     "postings": [{"account", "debit": "1500.00", "credit": "0.00"}], "prev_hash", "hash", "posted_at"}

Money is a two-place decimal string (contract §2) and posted_at the canonical UTC form, so a file
verifies on its own, without the service (`grants audit verify FILE`). Lines may interleave funds;
each fund's lines must be in seq order. Blank lines are ignored.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from os import PathLike
from typing import Any, TextIO

from shared.money import format_fen, parse_fen
from services.audit.domain.chain import ChainEntry, ChainVerifier, VerifyResult, format_utc
from services.audit.domain.export_heads import SignedHeads
from services.audit.domain.postings import Posting


def entry_to_json(entry: ChainEntry) -> dict[str, Any]:
    return {
        "entry_id": entry.entry_id, "seq": entry.seq, "fund": entry.fund, "event_id": entry.event_id,
        "payment_id": entry.payment_id,
        "postings": [{"account": p.account, "debit": format_fen(p.debit_fen), "credit": format_fen(p.credit_fen)}
                     for p in entry.postings],
        "prev_hash": entry.prev_hash, "hash": entry.hash, "posted_at": format_utc(entry.posted_at),
    }


def entry_from_json(doc: Any) -> ChainEntry:
    """Read one exported entry; raises ValueError naming what is wrong."""
    if not isinstance(doc, dict):
        raise ValueError("an entry must be a JSON object")
    try:
        postings = tuple(Posting(_text(p, "account"), _fen(p, "debit"), _fen(p, "credit")) for p in doc["postings"])
        seq = doc["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ValueError("seq must be an integer")
        payment_id = doc["payment_id"]
        if payment_id is not None and not isinstance(payment_id, str):
            raise ValueError("payment_id must be a string or null")
        posted_at = datetime.fromisoformat(_text(doc, "posted_at"))
        return ChainEntry(_text(doc, "fund"), seq, _text(doc, "entry_id"), _text(doc, "event_id"), payment_id,
                          postings, posted_at, _text(doc, "prev_hash"), _text(doc, "hash"))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"missing or malformed field {exc}") from exc


def entry_line(entry: ChainEntry) -> str:
    """One export line, newline included (also what GET /v1/ledger/export streams)."""
    return json.dumps(entry_to_json(entry), ensure_ascii=False, separators=(",", ":")) + "\n"


def write_export(entries: Iterable[ChainEntry], out: TextIO) -> int:
    """Write entries as JSON Lines; returns how many were written."""
    written = 0
    for entry in entries:
        out.write(entry_line(entry))
        written += 1
    return written


def read_export(lines: Iterable[str]) -> Iterator[ChainEntry]:
    """Parse exported lines (raises ValueError with the line number on an unreadable one)."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                yield entry_from_json(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"line {number}: {exc}") from exc


def verify_lines(lines: Iterable[str], heads: SignedHeads | None = None) -> VerifyResult:
    """Verify an export streamed line by line; an unreadable line is the break (reason "malformed"). With
    `heads`, the export must also hold and match every signed checkpoint ("incomplete",
    "checkpoint_mismatch"); an export with no entry is never whole (reason "empty")."""
    verifier = ChainVerifier()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        doc: Any = None
        try:
            doc = json.loads(line)
            entry = entry_from_json(doc)
        except ValueError as exc:  # json.JSONDecodeError is a ValueError too
            known = doc if isinstance(doc, dict) else {}
            verifier.broken("malformed", f"line {number}: {exc}", _maybe(known, "fund"), _maybe(known, "seq"),
                            _maybe(known, "entry_id"))
            break
        if verifier.feed(entry) is not None:
            break
        if heads is not None:
            heads.feed(entry)
    if verifier.first_break is None and verifier.count == 0:
        verifier.broken("empty", "the export holds no entry")
    if verifier.first_break is None and heads is not None and (problem := heads.problem()) is not None:
        reason, fund, detail = problem
        verifier.broken(reason, detail, fund)
    return verifier.result()


def verify_file(path: str | PathLike[str], heads: SignedHeads | None = None) -> VerifyResult:
    """Verify an exported JSON Lines file in constant memory."""
    with open(path, encoding="utf-8") as lines:
        return verify_lines(lines, heads)


def _text(doc: Any, name: str) -> str:
    value = doc[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _fen(doc: Any, name: str) -> int:
    value = doc[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a decimal string")
    return parse_fen(value)


def _maybe(doc: dict[str, Any], name: str) -> Any:
    value = doc.get(name)
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def result_to_json(result: VerifyResult) -> dict[str, Any]:
    """The GET /v1/ledger/verify body: {"ok", "entries", "head"}, plus first_break when broken."""
    body: dict[str, Any] = {"ok": result.ok, "entries": result.entries, "head": result.head}
    if result.first_break is not None:
        b = result.first_break
        body["first_break"] = {"fund": b.fund, "seq": b.seq, "entry_id": b.entry_id, "reason": b.reason,
                               "detail": b.detail}
    return body
