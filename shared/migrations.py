"""Alembic run programmatically: one migration history per service, applied by `grants migrate` and `grants up`."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData


def alembic_config(migrations_dir: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return cfg


def upgrade(migrations_dir: Path, url: str) -> None:
    from shared.db import make_engine

    make_engine(url).dispose()  # creates the SQLite folder when needed
    command.upgrade(alembic_config(migrations_dir, url), "head")


def run_env(context, metadata: MetaData) -> None:  # type: ignore[no-untyped-def]
    """The body of every service's env.py (online mode only: we always migrate a live database)."""
    from sqlalchemy import engine_from_config, pool

    config = context.config
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                         poolclass=pool.NullPool)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
        with context.begin_transaction():
            context.run_migrations()


def _migrations_dir(service: str) -> Path:
    import importlib

    return Path(importlib.import_module(f"services.{service}.db").__file__).parent / "migrations"


def upgrade_service(service: str, url: str) -> None:
    """Apply services/<service>/db/migrations to the database at url."""
    upgrade(_migrations_dir(service), url)


def schema_is_current(service: str, url: str) -> bool:
    """True when the database at url is at the head of the service's history (read-only; any role that
    may SELECT alembic_version can ask)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from shared.db import make_engine

    heads = set(ScriptDirectory.from_config(alembic_config(_migrations_dir(service), url)).get_heads())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads()) == heads
    finally:
        engine.dispose()
