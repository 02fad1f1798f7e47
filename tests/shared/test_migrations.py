"""Each service's Alembic history builds exactly the schema its models declare, on SQLite and PostgreSQL."""

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shared.db import make_engine
from shared.migrations import upgrade_service


@pytest.mark.parametrize("service", ["applications", "disbursement", "audit"])
def test_migrations_match_the_models(service, db_url):
    upgrade_service(service, db_url)
    upgrade_service(service, db_url)  # applying again is a no-op
    metadata = importlib.import_module(f"services.{service}.db.tables").Base.metadata
    engine = make_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    engine.dispose()
    assert diff == []
