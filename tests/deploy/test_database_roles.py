"""Least privilege in the database, on the roles deploy/postgres-init.sql creates and `grants migrate` grants:
the audit app role may read and append to the ledger, and nothing else there: no UPDATE, DELETE or TRUNCATE,
and, owning nothing, it cannot disable or drop the triggers that guard it."""

import secrets
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import errors

from cli import commands
from services.audit.db.tables import APPEND_ONLY_TABLES
from tests.deploy.pg_cluster import drop_prefixed, run_init_sql

pytestmark = pytest.mark.postgres
PASSWORDS = ("APPLICATIONS_DB_OWNER_PASSWORD", "APPLICATIONS_DB_APP_PASSWORD", "DISBURSEMENT_DB_OWNER_PASSWORD",
             "DISBURSEMENT_DB_APP_PASSWORD", "AUDIT_DB_OWNER_PASSWORD", "AUDIT_DB_APP_PASSWORD", "KEYCLOAK_DB_PASSWORD")


@pytest.fixture(scope="module")
def audit_db():
    """The audit database migrated by `grants migrate audit` as its owner, holding one ledger entry the app
    role appended; yields (prefix, the app role's DSN)."""
    prefix = f"gr{secrets.token_hex(4)}_"
    run_init_sql({name: secrets.token_hex(12) for name in PASSWORDS}, prefix)
    base = "postgresql+psycopg://{}@127.0.0.1:5432/" + f"{prefix}audit"
    app = f"postgresql://{prefix}audit_app@127.0.0.1:5432/{prefix}audit"
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("AUDIT_DATABASE_URL", base.format(f"{prefix}audit_app"))
            env.setenv("AUDIT_MIGRATION_DATABASE_URL", base.format(f"{prefix}audit_owner"))
            commands.migrate_all(quiet=True, services=["audit"])
            commands.migrate_all(quiet=True, services=["audit"])  # grants are reconciled, not piled up
        with psycopg.connect(app, autocommit=True) as conn:
            conn.execute("INSERT INTO ledger_entries (entry_id, fund, seq, event_id, payment_id, prev_hash, hash, "
                         "posted_at) VALUES ('e-1', 'employment_subsidy', 1, 'ev-1', 'p-1', %s, %s, %s)",
                         ("0" * 64, "1" * 64, datetime.now(UTC)))
            conn.execute("INSERT INTO ledger_postings (entry_id, fund, account, debit_fen, credit_fen) "
                         "VALUES ('e-1', 'employment_subsidy', 'employment_subsidy:expense', 150000, 0)")
        yield prefix, app
    finally:
        drop_prefixed(prefix)


REFUSED = [
    "UPDATE ledger_entries SET hash = repeat('2', 64)",
    "DELETE FROM ledger_entries",
    "TRUNCATE ledger_entries",
    "UPDATE ledger_postings SET debit_fen = debit_fen + 1",
    "DELETE FROM ledger_postings",
    "TRUNCATE ledger_postings",
    "ALTER TABLE ledger_entries DISABLE TRIGGER ALL",
    "ALTER TABLE ledger_entries DISABLE TRIGGER trg_ledger_entries_append_only",
    "DROP TRIGGER trg_ledger_entries_append_only ON ledger_entries",
    "ALTER TABLE ledger_postings DISABLE TRIGGER USER",
    "DROP TABLE ledger_entries CASCADE",
    "UPDATE alembic_version SET version_num = 'x'",
    "CREATE TABLE shadow_ledger (id int)",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_the_audit_app_role_is_refused(audit_db, statement):
    _, app = audit_db
    with psycopg.connect(app, autocommit=True) as conn:
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(statement)
        assert conn.execute("SELECT hash FROM ledger_entries").fetchall() == [("1" * 64,)]
        assert conn.execute("SELECT debit_fen FROM ledger_postings").fetchall() == [(150000,)]


def test_the_audit_app_role_keeps_what_the_service_needs_of_its_other_tables(audit_db):
    _, app = audit_db
    with psycopg.connect(app) as conn:  # one transaction, rolled back: the module's database stays as it was
        conn.execute("INSERT INTO fund_heads (fund, seq, hash) VALUES ('employment_subsidy', 1, %s)", ("1" * 64,))
        conn.execute("UPDATE fund_heads SET seq = 2")  # the chain's head pointer moves as entries are appended
        conn.execute("SELECT * FROM fund_heads FOR UPDATE")
        conn.execute("DELETE FROM fund_heads")
        conn.rollback()


def test_the_owner_could_disable_the_trigger_which_is_why_the_service_never_runs_as_it(audit_db):
    prefix, _ = audit_db
    with psycopg.connect(f"postgresql://{prefix}audit_owner@127.0.0.1:5432/{prefix}audit") as conn:
        conn.execute("ALTER TABLE ledger_entries DISABLE TRIGGER USER")
        conn.rollback()


def test_every_table_guarded_by_an_append_only_trigger_is_append_only_for_the_app_role(audit_db):
    prefix, _ = audit_db
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{prefix}audit") as conn:
        guarded = {row[0] for row in conn.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid WHERE NOT t.tgisinternal AND p.proname LIKE '%append_only%'")}
        owners = {row[0] for row in conn.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}
    assert guarded == set(APPEND_ONLY_TABLES)
    assert owners == {f"{prefix}audit_owner"}
