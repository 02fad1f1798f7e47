"""The three services on PostgreSQL (where a NUL byte used to be a 500), workers off."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.applications.main import create_app as create_applications
from services.audit.main import create_app as create_audit
from services.disbursement.main import create_app as create_disbursement
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.audit.support import audit_settings
from tests.disbursement.factories import finance_settings
from tests.support import create_pg_database, drop_pg_database


@pytest.fixture(scope="module")
def pg_urls() -> Iterator[dict[str, str]]:
    """One migrated PostgreSQL database per service, for the module."""
    made = {service: create_pg_database() for service in ("applications", "disbursement", "audit")}
    for service, (_, url) in made.items():
        upgrade_service(service, url)
    yield {service: url for service, (_, url) in made.items()}
    for name, _ in made.values():
        drop_pg_database(name)


@pytest.fixture(scope="module")
def applications(pg_urls) -> Iterator[TestClient]:
    with TestClient(create_applications(applications_settings(pg_urls["applications"]), run_workers=False)) as client:
        yield client


@pytest.fixture(scope="module")
def disbursement(pg_urls) -> Iterator[TestClient]:
    app = create_disbursement(finance_settings(pg_urls["disbursement"], grants_bank_file_max_bytes=200_000),
                              run_workers=False)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def audit(pg_urls, standards) -> Iterator[TestClient]:
    with TestClient(create_audit(audit_settings(pg_urls["audit"]), run_workers=False, standards=standards)) as client:
        yield client


@pytest.fixture(scope="module")
def standards():  # type: ignore[no-untyped-def]
    from services.audit.service.catalog_standards import catalog_standards

    return catalog_standards()
