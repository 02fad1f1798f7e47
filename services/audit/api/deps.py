"""What every audit route needs: the auditor/admin gate, the session and time windows."""

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query

from shared.auth import AUDIT_READERS, Principal
from shared.china_time import day_start
from shared.errors import invalid
from shared.web.runtime import DBSession
from shared.web.security import role_gate


# Gates, not checks in the route: the role is decided before the body or query is validated (issue 12 point 7).
auditor, admin = role_gate(*AUDIT_READERS), role_gate("admin")
Auditor = Annotated[Principal, Depends(auditor)]
Admin = Annotated[Principal, Depends(admin)]
DB = DBSession
_MOMENT_HELP = "YYYY-MM-DD (a China calendar day) or an ISO 8601 timestamp with offset"
Moment = Annotated[str | None, Query(description=_MOMENT_HELP)]
ReportFormat = Annotated[Literal["json", "csv"] | None, Query(description="csv: the same as Accept: text/csv")]
From = Annotated[str | None, Query(alias="from", description=_MOMENT_HELP)]  # "from" is a Python keyword


def parse_moment(field: str, value: str | None, *, end_of_day: bool) -> datetime | None:
    """A bound of a time window: a date is a China calendar day (its start, or the start of the next
    day for an upper bound); a timestamp must carry an offset."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day_start(day + timedelta(days=1 if end_of_day else 0))
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise invalid(field, "expected YYYY-MM-DD or an ISO 8601 timestamp with offset") from exc
    if moment.tzinfo is None:
        raise invalid(field, "a timestamp needs a UTC offset (e.g. +08:00 or Z)")
    return moment + timedelta(microseconds=1) if end_of_day else moment


def window(from_: str | None, to: str | None) -> tuple[datetime | None, datetime | None]:
    """[from, to] as a half-open [lower, upper) pair of aware datetimes."""
    lower, upper = parse_moment("from", from_, end_of_day=False), parse_moment("to", to, end_of_day=True)
    if lower is not None and upper is not None and upper <= lower:
        raise invalid("to", "must not be before from")
    return lower, upper


def parse_day(field: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise invalid(field, "expected YYYY-MM-DD") from exc
