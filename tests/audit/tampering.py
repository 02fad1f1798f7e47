"""Editing the ledger behind the service's back, as an intruder with database access would.

The append-only triggers are switched off first (or dropped on SQLite): the point is that the hash
chain catches what the triggers would have refused.
"""

from sqlalchemy import text
from sqlalchemy.engine import Engine

LEDGER_TRIGGERS = {
    "ledger_entries": ("trg_ledger_entries_no_update", "trg_ledger_entries_no_delete"),
    "ledger_postings": ("trg_ledger_postings_no_update", "trg_ledger_postings_no_delete"),
}


def tamper(engine: Engine, statement: str, **params: object) -> int:
    """Run an UPDATE or DELETE on the ledger with its guards off; returns the rows it changed."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # skips ordinary triggers
        else:
            for names in LEDGER_TRIGGERS.values():
                for name in names:
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        return conn.execute(text(statement), params).rowcount
