"""Every list endpoint of the three services pages the same way: a cursor it did not issue, or a query
parameter it does not take, is a 422 problem naming the field, never a 500 or a silently ignored filter."""

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.applications.main import create_app as applications_app
from services.audit.main import create_app as audit_app
from services.disbursement.main import create_app as disbursement_app
from shared.migrations import upgrade_service
from shared.pagination import encode_cursor
from tests.applications.conftest import applications_settings
from tests.audit.support import audit_settings
from tests.disbursement.conftest import disbursement_settings
from tests.support import auth

LISTS = {
    "applications": (auth("applicant", "lister"), ["/v1/claims"]),
    "disbursement": (auth("officer", "officer-1"), ["/v1/programmes", "/v1/batches", "/v1/entitlements",
                                                     "/v1/parameters", "/v1/funds"]),
    "audit": (auth("auditor", "auditor-1"), ["/v1/ledger/entries", "/v1/ledger/balances", "/v1/anomalies",
                                              "/v1/quarantined-events", "/v1/reports/fund-usage"]),
}
NOT_OURS = {
    "not base64": "%%%!",
    "base64 of no JSON": base64.urlsafe_b64encode(b"17").decode().rstrip("=") + "A",
    "base64 of a JSON object": base64.urlsafe_b64encode(b'{"id": 1}').decode(),
    "too many parts": encode_cursor("a", 1, "b", 2),
    "a negative position": encode_cursor(-1),
}


@pytest.fixture(scope="module")
def clients(tmp_path_factory) -> Iterator[dict[str, TestClient]]:
    folder = tmp_path_factory.mktemp("lists")
    apps = {}
    for name, create, settings in (("applications", applications_app, applications_settings),
                                   ("disbursement", disbursement_app, disbursement_settings),
                                   ("audit", audit_app, audit_settings)):
        url = f"sqlite:///{folder}/{name}.db"
        upgrade_service(name, url)
        apps[name] = TestClient(create(settings(url), run_workers=False)).__enter__()
    yield apps
    for client in apps.values():
        client.__exit__(None, None, None)


ENDPOINTS = [(service, path) for service, (_, paths) in LISTS.items() for path in paths]


@pytest.mark.parametrize("service,path", ENDPOINTS)
def test_every_list_endpoint_answers_its_first_page_in_the_contract_shape(clients, service, path):
    page = clients[service].get(path, headers=LISTS[service][0])
    assert page.status_code == 200, page.text
    assert "items" in page.json() and "next_cursor" in page.json()


@pytest.mark.parametrize("service,path", ENDPOINTS)
@pytest.mark.parametrize("kind", NOT_OURS)
def test_a_cursor_the_list_did_not_issue_is_a_422_naming_the_cursor(clients, service, path, kind):
    r = clients[service].get(path, params={"cursor": NOT_OURS[kind]}, headers=LISTS[service][0])
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["cursor"]


@pytest.mark.parametrize("service,path", ENDPOINTS)
def test_an_unknown_query_parameter_is_a_422_naming_it(clients, service, path):
    r = clients[service].get(path, params={"limit": 5, "statuss": "eligible"}, headers=LISTS[service][0])
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["statuss"]
