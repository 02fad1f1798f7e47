"""The disbursement service's SQLModel base: its own metadata, hence its own migration history."""

from sqlalchemy import BigInteger, Integer

from shared.db import service_base

Base = service_base("Disbursement")
# SQLite's INTEGER PRIMARY KEY is the rowid (auto-increment); BIGINT there would not be.
BigId = BigInteger().with_variant(Integer(), "sqlite")
