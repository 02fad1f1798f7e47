"""The migration builds exactly the tables the code declares, and the database itself guards the ledger."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from services.audit.db.tables import Base
from tests.audit.domain.factories import UI, issued_event
from tests.audit.support import feed


def test_the_migrated_schema_matches_the_table_definitions(engine):
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == []


def insert_entry(conn, entry_id: str = "e1", fund: str = UI) -> None:  # type: ignore[no-untyped-def]
    conn.execute(text("INSERT INTO ledger_entries (entry_id, fund, seq, event_id, prev_hash, hash, posted_at) "
                      "VALUES (:e, :f, 1, :e, :h, :h, CURRENT_TIMESTAMP)"), {"e": entry_id, "f": fund, "h": "0" * 64})


@pytest.mark.parametrize("account, debit, credit", [
    ("employment_subsidy:expense:hiring", 100, 0),  # another fund's account
    ("unemploymentXinsurance:bank", 100, 0),  # LIKE would take "_" as any character
    (f"{UI}:", 100, 0),  # no account after the fund
    (f"{UI}:bank", 100, 100),  # both sides
    (f"{UI}:bank", 0, 0),  # neither side
])
def test_a_posting_outside_its_fund_or_not_one_sided_is_refused(engine, account, debit, credit):
    with engine.connect() as conn:
        insert_entry(conn)
        with pytest.raises(IntegrityError):
            conn.execute(text("INSERT INTO ledger_postings (entry_id, fund, account, debit_fen, credit_fen) "
                              "VALUES ('e1', :f, :a, :d, :c)"), {"f": UI, "a": account, "d": debit, "c": credit})
        conn.rollback()


def test_a_posting_cannot_name_its_entry_under_another_fund(engine):
    with engine.connect() as conn:
        insert_entry(conn)
        with pytest.raises(IntegrityError):
            conn.execute(text("INSERT INTO ledger_postings (entry_id, fund, account, debit_fen, credit_fen) "
                              "VALUES ('e1', 'employment_subsidy', 'employment_subsidy:bank', 1, 0)"))
        conn.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE ledger_postings SET debit_fen = debit_fen + 1 WHERE debit_fen > 0",
    "DELETE FROM ledger_postings",
    "UPDATE ledger_entries SET posted_at = CURRENT_TIMESTAMP",
    "DELETE FROM ledger_entries",
])
def test_the_ledger_refuses_updates_and_deletes(engine, statement):
    feed(engine, [issued_event("p1")])
    with engine.connect() as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
        conn.rollback()
