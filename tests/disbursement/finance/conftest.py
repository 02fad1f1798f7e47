from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.disbursement.main import create_app
from shared.migrations import upgrade_service
from tests.disbursement.finance.factories import finance_settings


@pytest.fixture
def finance_url(pg_url) -> str:
    """A migrated disbursement database on PostgreSQL."""
    upgrade_service("disbursement", pg_url)
    return pg_url


@pytest.fixture
def app_with(finance_url):  # type: ignore[no-untyped-def]
    """Build the disbursement app on finance_url with settings overrides, workers off."""
    def build(**settings):  # type: ignore[no-untyped-def]
        return create_app(finance_settings(finance_url, **settings), run_workers=False)

    return build


@pytest.fixture
def api(app_with) -> Iterator[TestClient]:
    with TestClient(app_with()) as client:
        yield client


@pytest.fixture
def engine(api):  # type: ignore[no-untyped-def]
    return api.app.state.runtime.engine
