"""deploy/postgres-init.sql applied to the local server under a per-run name prefix, and removed again."""

import os
import subprocess
from pathlib import Path

import psycopg

from tests.support import PG_ADMIN

INIT_SQL = Path(__file__).resolve().parents[2] / "deploy" / "postgres-init.sql"


def run_init_sql(env: dict[str, str], prefix: str) -> None:
    done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                           "-f", str(INIT_SQL)], env={**env, "GRANTS_DB_NAME_PREFIX": prefix,
                                                      "PATH": os.environ["PATH"]},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def drop_prefixed(prefix: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        for (db,) in conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (prefix,)).fetchall():
            conn.execute(f'DROP DATABASE "{db}" WITH (FORCE)')
        for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,)).fetchall():
            conn.execute(f'DROP ROLE "{role}"')
