"""Money as integer fen; decimal strings with two places at the edges. Never a float."""

from decimal import Decimal, InvalidOperation, ROUND_HALF_UP
from fractions import Fraction
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

CURRENCY = "CNY"
_TWO_PLACES = Decimal("0.01")


def parse_fen(value: str | int | Decimal) -> int:
    """Turn a decimal amount in yuan ("1500.00", "1500", Decimal) into integer fen; refuse floats and sub-fen."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("money must be a decimal string, not a float")
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
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
