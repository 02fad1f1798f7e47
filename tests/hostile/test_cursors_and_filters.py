"""Issue 12 point 6: a malformed cursor or an unknown filter is a 422 naming it on every list, on PostgreSQL
(tests/shared/test_list_endpoints.py holds the same on SQLite)."""

import pytest

from tests.support import auth

LISTS = [
    ("applications", "applicant", "/v1/claims"),
    ("disbursement", "officer", "/v1/programmes"), ("disbursement", "officer", "/v1/batches"),
    ("disbursement", "officer", "/v1/entitlements"), ("disbursement", "officer", "/v1/parameters"),
    ("disbursement", "officer", "/v1/funds"),
    ("audit", "auditor", "/v1/ledger/entries"), ("audit", "auditor", "/v1/ledger/balances"),
    ("audit", "auditor", "/v1/anomalies"), ("audit", "auditor", "/v1/quarantined-events"),
    ("audit", "auditor", "/v1/ledger/checkpoints"),
]
MALFORMED = ["AAAA", "!!!", "AA==", "W10", "bnVsbA", "%E2%80%AE", "A" * 5000]


@pytest.mark.parametrize("cursor", MALFORMED)
@pytest.mark.parametrize("service,role,path", LISTS)
def test_a_malformed_cursor_is_a_422_naming_cursor(request, service, role, path, cursor):
    client = request.getfixturevalue(service)
    r = client.get(f"{path}?cursor={cursor}", headers=auth(role, f"{role}-cursor"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor", r.text


@pytest.mark.parametrize("service,role,path", LISTS)
def test_an_unknown_filter_is_a_422_naming_it(request, service, role, path):
    client = request.getfixturevalue(service)
    r = client.get(f"{path}?colour=red", headers=auth(role, f"{role}-cursor"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "colour", r.text
