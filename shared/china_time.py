"""China Standard Time, the one calendar every business rule counts in (UTC+8 all year, no daylight saving).

A decision's date, an officer's daily approval limit, a budget year, a payment file's execution date and
the days of an audit window are China calendar days: 2023-12-31T20:00Z is 2024-01-01 for all of them.
"""

from datetime import date, datetime, time, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def business_day(moment: datetime) -> date:
    """The China calendar day of an aware moment."""
    return moment.astimezone(CHINA_TZ).date()


def business_year(moment: datetime) -> int:
    """The China calendar year of an aware moment: the budget year a payment issued then counts against."""
    return moment.astimezone(CHINA_TZ).year


def day_start(day: date) -> datetime:
    """The first instant of a China calendar day (midnight Beijing time)."""
    return datetime.combine(day, time(), CHINA_TZ)
