"""Cursor pagination, one way for every list endpoint (contract §2: `?limit=` and `?cursor=`, answered
with `{"items": [...], "next_cursor": "…" | null}`).

A cursor is the keyset position of the last item shown: a tuple of parts (ints, strings, datetimes),
sent as URL-safe base64 of a JSON array. Decoding checks the cursor is one we could have issued for that
list: base64 of a JSON array with the list's number of parts, each of its type. Anything else is a 422.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from shared.errors import invalid

Row = TypeVar("Row")
Part = int | str | datetime


def encode_cursor(*parts: Part) -> str:
    document = json.dumps([p.isoformat() if isinstance(p, datetime) else p for p in parts], separators=(",", ":"))
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *kinds: type) -> tuple[Any, ...] | None:
    """The parts of a cursor this list issued, typed as `kinds` (int, str or datetime); None for no cursor."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True))
    except (binascii.Error, ValueError):  # not base64, not UTF-8, not JSON
        raise _not_ours() from None
    if not isinstance(values, list) or len(values) != len(kinds):
        raise _not_ours()
    return tuple(_typed(value, kind) for value, kind in zip(values, kinds))


def page_of(rows: Sequence[Row], limit: int, position: Callable[[Row], tuple[Part, ...]]) -> tuple[list[Row], str | None]:
    """The first `limit` of rows fetched as limit + 1, and the cursor after the last of them (None: no more)."""
    shown = list(rows[:limit])
    return shown, encode_cursor(*position(shown[-1])) if len(rows) > limit else None


def slice_page(items: Sequence[Row], limit: int, cursor: str | None) -> tuple[list[Row], str | None]:
    """A page of a list built whole in memory (bounded by the catalog: its parameters, funds, accounts):
    the cursor is the offset of the next item."""
    (start,) = decode_cursor(cursor, int) or (0,)
    end = start + limit
    return list(items[start:end]), encode_cursor(end) if end < len(items) else None


def _typed(value: Any, kind: type) -> Part:
    if kind is int and isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if kind is str and isinstance(value, str) and value:
        return value
    if kind is datetime and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _not_ours()


def _not_ours() -> Exception:
    return invalid("cursor", "not a cursor we issued")
