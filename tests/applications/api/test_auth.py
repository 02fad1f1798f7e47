import jwt

from shared.auth import CLAIMS_READ_BODY, issue_service_token
from shared.settings import DEV_JWT_SECRET
from tests.support import auth, skill_upgrade_body


def test_no_token_is_401_problem(client):
    r = client.get("/v1/claims")
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_a_token_signed_with_another_secret_is_401(client):
    forged = jwt.encode({"sub": "x", "role": "admin", "exp": 9999999999}, "another-secret-entirely-0000000000000", algorithm="HS256")
    assert client.get("/v1/claims", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_an_expired_token_is_401(client):
    expired = jwt.encode({"sub": "x", "role": "applicant", "exp": 1}, DEV_JWT_SECRET, algorithm="HS256")
    assert client.get("/v1/claims", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_an_officer_cannot_file_a_claim(client):
    r = client.post("/v1/claims", json=skill_upgrade_body(), headers={**auth("officer", "o1"), "Idempotency-Key": "x"})
    assert r.status_code == 403


def test_only_a_service_granted_claims_read_body_reads_claim_bodies(client):
    claim_id = client.post("/v1/claims", json=skill_upgrade_body(),
                           headers={**auth(), "Idempotency-Key": "i"}).json()["claim_id"]
    url = f"/internal/v1/claims/{claim_id}"
    for person in ("applicant", "officer", "auditor", "admin"):  # no person, whatever their role
        assert client.get(url, headers=auth(person, "someone")).status_code == 403, person
    unscoped = issue_service_token(DEV_JWT_SECRET, client="grants-audit", scopes=())
    assert client.get(url, headers={"Authorization": f"Bearer {unscoped}"}).status_code == 403
    scoped = issue_service_token(DEV_JWT_SECRET, client="grants-disbursement", scopes=(CLAIMS_READ_BODY,))
    r = client.get(url, headers={"Authorization": f"Bearer {scoped}"})
    assert r.status_code == 200 and r.json()["body"]["programme"] == "skill_upgrade"
    lookup = client.post("/internal/v1/claims/lookup", json={"claim_ids": [claim_id]}, headers=auth("admin", "a"))
    assert lookup.status_code == 403


def test_health_endpoints_need_no_token(client):
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/openapi.json").status_code == 200
