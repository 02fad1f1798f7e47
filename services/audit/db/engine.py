"""The audit service's engine."""

from sqlalchemy.engine import Engine

from shared.db import make_engine


def audit_engine(url: str) -> Engine:
    """make_engine, with INSERT row counts kept.

    SQLAlchemy 2.1 on psycopg reports rowcount -1 for an INSERT unless asked to keep it, and
    insert-or-ignore (ours, and the shared inbox's claim_event) decides "already there" from it:
    without this every event consumed on PostgreSQL would be rolled back as applied elsewhere.
    """
    return make_engine(url).execution_options(preserve_rowcount=True)
