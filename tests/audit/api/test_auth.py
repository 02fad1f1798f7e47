"""Contract §2 and §5: the audit API is for auditors and admins; no token 401, another role 403."""

import time

import jwt
import pytest

from shared.auth import issue_token
from shared.settings import DEV_JWT_SECRET
from tests.support import auth

READS = ["/v1/ledger/entries", "/v1/ledger/balances", "/v1/ledger/verify", "/v1/ledger/export", "/v1/anomalies",
         "/v1/quarantined-events",
         "/v1/reports/reconciliation", "/v1/reports/fund-usage"]
sqlite_only = pytest.mark.parametrize("audit_url", ["sqlite"], indirect=True)  # auth does not depend on the backend


@sqlite_only
@pytest.mark.parametrize("path", READS)
def test_every_read_needs_a_token(client, path):
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"] == "application/problem+json"


@sqlite_only
def test_an_expired_or_foreign_token_is_refused(client):
    expired = jwt.encode({"sub": "a", "role": "auditor", "exp": int(time.time()) - 60}, DEV_JWT_SECRET, "HS256")
    foreign = issue_token("another-secret-of-at-least-32-characters!", sub="a", role="auditor")
    for token in (expired, foreign):
        assert client.get("/v1/ledger/verify", headers={"Authorization": f"Bearer {token}"}).status_code == 401


@sqlite_only
@pytest.mark.parametrize("path", READS)
def test_applicants_and_officers_may_not_read_the_audit(client, path):
    for role in ("applicant", "officer"):
        response = client.get(path, headers=auth(role, f"{role}-1"))
        assert response.status_code == 403, role
        assert response.json()["type"].endswith("/forbidden")


@sqlite_only
@pytest.mark.parametrize("path", READS)
def test_auditors_and_admins_may(client, path):
    for role in ("auditor", "admin"):
        assert client.get(path, headers=auth(role, f"{role}-1")).status_code == 200, role


@sqlite_only
def test_only_an_admin_sets_a_budget(client):
    body = {"amount": "1000000.00"}
    assert client.put("/v1/budgets/employment_subsidy/2023", json=body).status_code == 401
    assert client.put("/v1/budgets/employment_subsidy/2023", json=body, headers=auth("auditor", "a")).status_code == 403
    ok = client.put("/v1/budgets/employment_subsidy/2023", json=body, headers=auth("admin", "root"))
    assert ok.status_code == 200 and ok.json() == {"fund": "employment_subsidy", "year": 2023, "amount": "1000000.00",
                                                   "currency": "CNY"}
    bad = client.put("/v1/budgets/employment_subsidy/2023", json={"amount": "12.345"}, headers=auth("admin", "root"))
    assert bad.status_code == 422
