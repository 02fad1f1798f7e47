"""Column types shared by the audit tables."""

from datetime import datetime

from sqlalchemy import BigInteger, Integer

from shared.db_types import UtcDateTime as SharedUtcDateTime

# SQLite's INTEGER PRIMARY KEY is the rowid (auto-increment); BIGINT there would not be.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(SharedUtcDateTime):
    """Timestamps stored in UTC and read back aware (shared.db_types), and stricter: an audit time must carry
    its offset, since a hash recomputed from a time in the wrong zone would differ."""

    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            raise ValueError("audit timestamps must carry a UTC offset")
        return super().process_bind_param(value, dialect)
