from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from shared.db import make_engine
from services.audit.domain.checkpoints import Signer
from services.audit.main import create_app
from services.audit.service.catalog_standards import CatalogStandards, catalog_standards
from services.audit.service.signing_key import write_new_key
from shared.migrations import upgrade_service
from tests.audit.support import audit_settings
from tests.support import PG_ADMIN, create_pg_database, drop_pg_database


@pytest.fixture(scope="session")
def standards() -> CatalogStandards:
    """The shipped policy catalog through the audit's adapter (loaded once)."""
    return catalog_standards()


@pytest.fixture(scope="session")
def migrated_pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated once; each test gets a copy (a third of the cost of migrating)."""
    name, url = create_pg_database()
    upgrade_service("audit", url)
    yield name
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def audit_url(request, tmp_path) -> Iterator[str]:
    """A migrated audit database on both backends: a SQLite file, or a fresh PostgreSQL copy of the template."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/audit.db"
        upgrade_service("audit", url)
        yield url
        return
    template = request.getfixturevalue("migrated_pg_template")
    name = f"{template}_{request.node.nodeid.__hash__() & 0xFFFFFF:x}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    drop_pg_database(name)


@pytest.fixture
def engine(audit_url) -> Iterator[Engine]:
    engine = make_engine(audit_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(audit_url, standards) -> Iterator[TestClient]:
    """The audit API on the migrated database, workers off."""
    app = create_app(audit_settings(audit_url), run_workers=False, standards=standards)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def log_key(tmp_path) -> Signer:
    """A checkpoint signing key of the test's own, in tmp_path/checkpoint-key.pem."""
    return write_new_key(tmp_path / "checkpoint-key.pem")


@pytest.fixture
def keyed_client(audit_url, standards, tmp_path, log_key) -> Iterator[TestClient]:
    """The audit API signing checkpoints with log_key, read from its file; workers off."""
    settings = audit_settings(audit_url, audit_checkpoint_key_file=str(tmp_path / "checkpoint-key.pem"))
    with TestClient(create_app(settings, run_workers=False, standards=standards)) as c:
        yield c
