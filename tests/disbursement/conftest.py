from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.disbursement.config import Settings
from services.disbursement.main import create_app
from shared.migrations import upgrade_service


def disbursement_settings(db_url: str, bootstrap: str = "127.0.0.1:1", prefix: str = "grants", **extra) -> Settings:
    return Settings(disbursement_database_url=db_url, grants_kafka_bootstrap=bootstrap, grants_topic_prefix=prefix,
                    grants_env="test", **extra)


@pytest.fixture
def disbursement(db_url) -> Iterator[TestClient]:
    """The disbursement API on a migrated database, workers off."""
    upgrade_service("disbursement", db_url)
    with TestClient(create_app(disbursement_settings(db_url), run_workers=False)) as client:
        yield client
