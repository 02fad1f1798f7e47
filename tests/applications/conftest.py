from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.applications.config import Settings
from services.applications.main import create_app
from shared.migrations import upgrade_service


def applications_settings(db_url: str, bootstrap: str = "127.0.0.1:1", prefix: str = "grants") -> Settings:
    return Settings(applications_database_url=db_url, grants_kafka_bootstrap=bootstrap, grants_topic_prefix=prefix,
                    grants_env="test")


@pytest.fixture
def client(db_url) -> Iterator[TestClient]:
    """The applications API on a migrated database, workers off (nothing here needs the broker)."""
    upgrade_service("applications", db_url)
    app = create_app(applications_settings(db_url), run_workers=False)
    with TestClient(app) as c:
        yield c
