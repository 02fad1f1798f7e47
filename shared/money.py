"""Money as integer fen; decimal strings with two places at the edges. Never a float."""

import re
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

CURRENCY = "CNY"
_TWO_PLACES = Decimal("0.01")
# The one written form of money (issue 12 point 5): ASCII digits, at most 15 before the point (a trillion
# yuan and then some) and two after, an optional minus; no exponent, no spaces, no other digits (１.００).
MONEY_TEXT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,2})?")
_MAX_YUAN = Decimal(10) ** 15
MONEY_MESSAGE = 'must be an amount in yuan like "1500.00": ASCII digits, at most 15 before the point and 2 after'


def parse_fen(value: str | int | Decimal) -> int:
    """Turn an amount in yuan ("1500.00", "1500", or a Decimal or int from settings and code) into integer
    fen. A string must match MONEY_TEXT whole; floats, bools, sub-fen and out-of-range amounts are refused
    with ValueError (never decimal.InvalidOperation)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("money must be a decimal string, not a float")
    if isinstance(value, str):
        if not MONEY_TEXT.fullmatch(value):
            raise ValueError(MONEY_MESSAGE)
        amount = Decimal(value)
    elif isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    else:
        raise ValueError(MONEY_MESSAGE)
    if not amount.is_finite() or abs(amount) >= _MAX_YUAN:
        raise ValueError(MONEY_MESSAGE)
    if amount != amount.quantize(_TWO_PLACES):
        raise ValueError(f"more than two decimal places: {value!r}")
    return int(amount * 100)


def format_fen(fen: int) -> str:
    """Render integer fen as a yuan string with two places ("1500.00")."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def round_fen(value: Decimal | Fraction) -> int:
    """Round an exact amount in fen half-up to whole fen (prorated rates, shares of what was paid)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    return int(exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _fen_from_input(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return parse_fen(value)  # type: ignore[arg-type]


# A pydantic field type: accepts "1500.00" (or an int of fen internally), serialises to "1500.00".
Fen = Annotated[int, BeforeValidator(_fen_from_input), PlainSerializer(format_fen, return_type=str)]
