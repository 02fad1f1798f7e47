"""Money and dates as the reader expects them: ¥1,500.00 in both languages, dates in the reader's locale and
China time (every business day of the system is a China calendar day)."""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime

from shared.china_time import CHINA_TZ

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"


def yuan(value: str | int | Decimal | None) -> Decimal:
    """A decimal amount from the APIs' two-place strings (never through a float)."""
    if value is None or value == "":
        return Decimal("0.00")
    if isinstance(value, float):
        raise TypeError("money is never a float")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def money(value: str | int | Decimal | None) -> str:
    """¥1,500.00; a negative amount -¥1,500.00; a missing one an em dash."""
    if value is None:
        return "—"
    amount = yuan(value).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


def moment(value: str | datetime | None, locale: str) -> str:
    """A timestamp from the APIs (ISO 8601 with offset) as a date and time in China time."""
    if value is None or value == "":
        return "—"
    when = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    if when.tzinfo is None:  # the services keep UTC; a SQLite-backed one may send it without its offset
        when = when.replace(tzinfo=UTC)
    return babel_datetime(when, "medium", tzinfo=CHINA_TZ, locale=locale)


def day(value: str | date | None, locale: str) -> str:
    """A calendar day (YYYY-MM-DD) in the reader's locale."""
    if value is None or value == "":
        return "—"
    when = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return babel_date(when, "long", locale=locale)
