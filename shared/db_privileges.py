"""Least privilege in each service's database: after every migration, run as the owner role, `grants migrate`
gives the app role (the user of SERVICE_DATABASE_URL) exactly what the service needs.

The owner role owns the schema and runs the migrations; the app role owns nothing, so it can neither change
the schema nor drop or disable a trigger. It reads and writes the service's tables, except the append-only
ones, where it may only SELECT and INSERT (the audit ledger: not even the service can rewrite it). Grants
are reconciled from scratch each time, so a table added by a migration is covered and nothing stale stays.
"""

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

READ_ONLY = ("alembic_version",)


def app_role_of(app_url: str, migration_url: str) -> str | None:
    """The role to grant to, or None when the service runs as the owner (the development default)."""
    app, owner = make_url(app_url), make_url(migration_url)
    if app.get_backend_name() != "postgresql" or not app.username or app.username == owner.username:
        return None
    return app.username


def grant_app_role(engine: Engine, role: str, append_only: tuple[str, ...] = ()) -> None:
    """Reconcile the app role's grants; `append_only` names the service's tables it may only read and add to."""
    with engine.begin() as conn:
        q = conn.dialect.identifier_preparer.quote
        r = q(role)
        database = q(conn.execute(text("SELECT current_database()")).scalar_one())
        for statement in (
            f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r}",
            f"GRANT CONNECT ON DATABASE {database} TO {r}",
            f"GRANT USAGE ON SCHEMA public TO {r}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
            *(f"REVOKE INSERT, UPDATE, DELETE ON {q(t)} FROM {r}" for t in READ_ONLY),
            *(f"REVOKE UPDATE, DELETE ON {q(t)} FROM {r}" for t in append_only),
        ):
            conn.exec_driver_sql(statement)
