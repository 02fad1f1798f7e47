"""Column types every service's tables share."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Timestamps stored in UTC and read back aware, on both backends (issue 12 point 9: on SQLite, which
    keeps no offset, a time used to come back naive and reach responses without one, e.g. submitted_at).

    Written as UTC (a naive value is taken to be UTC already, as datetime.now(UTC) made it), tagged UTC
    on the way out, so every response carries an RFC 3339 offset and SQL comparisons line up."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
