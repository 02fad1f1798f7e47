"""Issue 12 point 7: a caller whose role may not use a route hears 403 whatever body or query it sent
(authorisation is decided before validation); a caller without a token hears 401."""

import pytest

from tests.support import auth, service_auth

BAD_JSON, NUL_JSON = b"{not json", b'{"reason": "\\u0000"}'
DISBURSEMENT_CASES = [
    ("POST", "/v1/batches", {"fund": 7, "claim_ids": "nope"}, "auditor"),
    ("POST", "/v1/batches", BAD_JSON, "applicant"),
    ("POST", "/v1/batches", NUL_JSON, "admin"),
    ("PUT", "/v1/parameters/qingyang-2023.x", {"value": ""}, "officer"),
    ("PUT", "/v1/parameters/qingyang-2023.x", BAD_JSON, "auditor"),
    ("PUT", "/v1/funds/unemployment_insurance/budgets/1999", {"amount": "1e30"}, "officer"),
    ("PUT", "/v1/funds/unemployment_insurance/budgets/2026", BAD_JSON, "auditor"),
    ("POST", "/v1/batches/B1/reject", {"reason": ""}, "auditor"),
    ("POST", "/v1/batches/B1/reject", BAD_JSON, "applicant"),
    ("POST", "/v1/evaluations", BAD_JSON, "applicant"),
    ("DELETE", "/v1/batches/B1/items/C1?reason=" + "x" * 600, None, "auditor"),
    ("GET", "/v1/batches?status=nonsense&bogus=1", None, "applicant"),
    ("GET", "/v1/entitlements?limit=0", None, "applicant"),
]


def _send(client, method, path, body, headers):  # type: ignore[no-untyped-def]
    if isinstance(body, bytes):
        return client.request(method, path, content=body, headers={**headers, "content-type": "application/json"})
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize("method,path,body,role", DISBURSEMENT_CASES)
def test_a_wrong_role_hears_403_before_its_body_is_judged_in_disbursement(disbursement, method, path, body, role):
    r = _send(disbursement, method, path, body, auth(role, f"{role}-1"))
    assert r.status_code == 403, r.text


def test_no_token_with_a_bad_body_is_a_401(disbursement):
    assert _send(disbursement, "POST", "/v1/batches", BAD_JSON, {}).status_code == 401


@pytest.mark.parametrize("body", [BAD_JSON, {"amount": "1e30"}, {"amount": 5}])
def test_a_wrong_role_hears_403_on_the_audit_budget(audit, body):
    r = _send(audit, "PUT", "/v1/budgets/unemployment_insurance/2026", body, auth("auditor", "aud-1"))
    assert r.status_code == 403, r.text


# Tokens are minted when the test runs, not at collection: a service token lives five minutes, less than a full run.
@pytest.mark.parametrize("method,path,body,headers", [
    ("POST", "/v1/claims", BAD_JSON, lambda: auth("officer", "off-1")),
    ("POST", "/v1/claims", b'{"a": "\xff"}', lambda: auth("officer", "off-1")),
    ("PUT", "/v1/claims/C1/payee-account", BAD_JSON, lambda: auth("auditor", "aud-1")),
    ("POST", "/internal/v1/claims/lookup", {"claim_ids": []}, lambda: auth("admin", "adm-1")),
    ("POST", "/internal/v1/claims/lookup", BAD_JSON, lambda: service_auth(scopes=())),
])
def test_a_wrong_role_hears_403_before_its_body_is_judged_in_applications(applications, method, path, body, headers):
    assert _send(applications, method, path, body, headers()).status_code == 403
