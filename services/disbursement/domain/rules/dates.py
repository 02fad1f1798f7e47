"""Calendar-month arithmetic for rules written in months and years ("半年以上", "离校2年内")."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def whole_months_between(start: date, end: date) -> int:
    """Completed calendar months from start to end (0 when end is before start + 1 month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def month_of(day: date) -> str:
    """The calendar month a date falls in, as grants record it (YYYY-MM)."""
    return f"{day.year:04d}-{day.month:02d}"


def months_from(first: date, count: int) -> list[str]:
    """`count` consecutive calendar months starting with the month of `first` (YYYY-MM each)."""
    return [month_of(add_months(first.replace(day=1), i)) for i in range(count)]


def months_ending(last: date, count: int) -> list[str]:
    """`count` consecutive calendar months ending with the month of `last`."""
    return months_from(add_months(last.replace(day=1), 1 - count), count) if count > 0 else []
