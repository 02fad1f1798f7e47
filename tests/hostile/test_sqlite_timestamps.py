"""Issue 12 point 9: on SQLite too, every timestamp in every response is RFC 3339 with an offset (a claim's
submitted_at and history, a batch's times, a parameter's set_at)."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.applications.main import create_app as create_applications
from services.disbursement.main import create_app as create_disbursement
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.disbursement.factories import add_eligible, finance_settings
from tests.support import auth, skill_upgrade_body

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(?P<offset>Z|[+-]\d{2}:\d{2})?")


def _timestamps(document) -> list[str]:  # type: ignore[no-untyped-def]
    if isinstance(document, dict):
        return [t for value in document.values() for t in _timestamps(value)]
    if isinstance(document, list):
        return [t for value in document for t in _timestamps(value)]
    return [document] if isinstance(document, str) and TIMESTAMP.fullmatch(document) else []


def _all_with_offset(document) -> list[str]:  # type: ignore[no-untyped-def]
    found = _timestamps(document)
    assert found, document
    return [t for t in found if TIMESTAMP.fullmatch(t).group("offset") is None]  # type: ignore[union-attr]


@pytest.fixture
def sqlite_apps(tmp_path) -> Iterator[tuple[TestClient, TestClient]]:
    urls = {name: f"sqlite:///{tmp_path}/{name}.db" for name in ("applications", "disbursement")}
    for name, url in urls.items():
        upgrade_service(name, url)
    with TestClient(create_applications(applications_settings(urls["applications"]), run_workers=False)) as apps, \
            TestClient(create_disbursement(finance_settings(urls["disbursement"]), run_workers=False)) as money:
        yield apps, money


def test_claim_times_carry_an_offset_on_sqlite(sqlite_apps):
    apps, _ = sqlite_apps
    headers = {**auth("applicant", "ts-1"), "Idempotency-Key": "ts"}
    filed = apps.post("/v1/claims", json=skill_upgrade_body(seq=11), headers=headers)
    assert filed.status_code == 201 and _all_with_offset(filed.json()) == []
    read = apps.get(f"/v1/claims/{filed.json()['claim_id']}", headers=headers)
    assert _all_with_offset(read.json()) == [], read.json()
    assert _all_with_offset(apps.get("/v1/claims", headers=headers).json()) == []


def test_finance_times_carry_an_offset_on_sqlite(sqlite_apps):
    _, money = sqlite_apps
    add_eligible(money.app.state.runtime.engine, 2)
    maker = auth("officer", "maker-ts")
    batch = money.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=maker)
    assert batch.status_code == 201, batch.text
    assert _all_with_offset(money.get(f"/v1/batches/{batch.json()['batch_id']}", headers=maker).json()) == []
    admin = auth("admin", "adm-ts")
    money.put("/v1/funds/unemployment_insurance/budgets/2026", json={"amount": "100.00"}, headers=admin)
    assert _all_with_offset(money.get("/v1/funds?year=2026", headers=admin).json()) == []
