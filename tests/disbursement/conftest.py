from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.disbursement.config import Settings
from services.disbursement.main import create_app
from shared.migrations import upgrade_service
from tests.disbursement.factories import finance_settings


def disbursement_settings(db_url: str, bootstrap: str = "127.0.0.1:1", prefix: str = "grants", **extra) -> Settings:
    return Settings(disbursement_database_url=db_url, grants_kafka_bootstrap=bootstrap, grants_topic_prefix=prefix,
                    grants_env="test", **extra)


@pytest.fixture
def disbursement(db_url) -> Iterator[TestClient]:
    """The disbursement API on a migrated database, workers off."""
    upgrade_service("disbursement", db_url)
    with TestClient(create_app(disbursement_settings(db_url), run_workers=False)) as client:
        yield client


@pytest.fixture
def finance_url(pg_url) -> str:
    """A migrated disbursement database on PostgreSQL."""
    upgrade_service("disbursement", pg_url)
    return pg_url


@pytest.fixture
def app_with(finance_url):  # type: ignore[no-untyped-def]
    """Build the disbursement app on finance_url with settings overrides (workers off unless asked)."""
    def build(run_workers: bool = False, **settings):  # type: ignore[no-untyped-def]
        return create_app(finance_settings(finance_url, **settings), run_workers=run_workers)

    return build


@pytest.fixture
def api(app_with) -> Iterator[TestClient]:
    with TestClient(app_with()) as client:
        yield client


@pytest.fixture
def engine(api):  # type: ignore[no-untyped-def]
    return api.app.state.runtime.engine


@pytest.fixture
def applications(tmp_path) -> Iterator[str]:
    """The applications service, live on SQLite (the payment file fetches claim bodies from it)."""
    from services.applications.main import create_app as create_applications
    from tests.applications.conftest import applications_settings
    from tests.live_server import serve

    url = f"sqlite:///{tmp_path}/applications.db"
    upgrade_service("applications", url)
    app = create_applications(applications_settings(url), run_workers=False)
    with serve(app) as base:
        yield base


@pytest.fixture
def paying_api(app_with, applications) -> Iterator[TestClient]:
    """The disbursement API fetching claim bodies from the live applications service."""
    with TestClient(app_with(applications_url=applications)) as client:
        yield client
