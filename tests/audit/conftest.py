from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from services.audit.main import create_app
from services.audit.standards import CatalogStandards, catalog_standards
from services.audit.db.engine import audit_engine
from shared.migrations import upgrade_service
from tests.audit.support import audit_settings


@pytest.fixture(scope="session")
def standards() -> CatalogStandards:
    """The shipped policy catalog through the audit's adapter (loaded once)."""
    return catalog_standards()


@pytest.fixture
def audit_url(db_url) -> str:
    """A migrated audit database, SQLite and PostgreSQL."""
    upgrade_service("audit", db_url)
    return db_url


@pytest.fixture
def engine(audit_url) -> Iterator[Engine]:
    engine = audit_engine(audit_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(audit_url, standards) -> Iterator[TestClient]:
    """The audit API on the migrated database, workers off."""
    app = create_app(audit_settings(audit_url), run_workers=False, standards=standards)
    with TestClient(app) as c:
        yield c
