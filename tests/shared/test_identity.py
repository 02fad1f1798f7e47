"""Production identities (issue 16, point 4): the applications service in GRANTS_ENV=production accepts the
OIDC provider's tokens only, checked against the provider's JWKS served by this test (real keys, real HTTP),
maps the provider's roles to ours, and reads claim bodies only for disbursement's own client-credentials
token with scope claims:read-body."""

import uuid
from collections.abc import Iterator

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from services.applications.config import Settings
from services.applications.main import create_app
from services.disbursement.db.claim_source import ClaimSource
from shared.auth import CLAIMS_READ_BODY, issue_token
from shared.consumer import RetryLater
from shared.migrations import upgrade_service
from shared.service_identity import ClientCredentials
from shared.settings import DEV_JWT_SECRET
from tests.live_server import serve
from tests.oidc_provider import OidcProvider, SigningKey
from tests.support import skill_upgrade_body

SECRETS = {"grants-applications": "a" * 32, "grants-disbursement": "d" * 32, "grants-audit": "u" * 32}


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    with OidcProvider(SECRETS) as running:
        yield running


def production_settings(db_url: str, provider: OidcProvider, **extra) -> Settings:  # type: ignore[no-untyped-def]
    extra = {"grants_oidc_jwks_cooldown_seconds": 0, **extra}
    return Settings(grants_env="production", applications_database_url=db_url, grants_kafka_bootstrap="127.0.0.1:1",
                    grants_pii_key="p" * 40, grants_oidc_issuer=provider.issuer, **extra)


@pytest.fixture
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path}/applications.db"
    upgrade_service("applications", url)
    return url


@pytest.fixture
def api(database, provider) -> Iterator[TestClient]:
    with TestClient(create_app(production_settings(database, provider), run_workers=False)) as client:
        yield client


def _status(api: TestClient, token: str, path: str = "/v1/claims") -> int:
    return api.get(path, headers={"Authorization": f"Bearer {token}"}).status_code


def test_the_providers_rs256_and_es256_tokens_are_accepted_through_its_discovered_jwks(api, provider):
    assert _status(api, provider.mint()) == 200
    provider.keys.append(es256 := SigningKey("ES256"))
    assert _status(api, provider.mint(key=es256)) == 200


def test_wrong_issuer_audience_expired_unknown_key_and_hs256_in_production_are_401(api, provider):
    stranger = SigningKey()  # never published
    public_pem = provider.keys[0].private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    refused = {
        "wrong issuer": provider.mint(iss="https://evil.example/realms/grants"),
        "wrong audience": provider.mint(aud="grants-audit"),
        "no audience": provider.mint(aud=None),
        "expired": provider.mint(iat=1_000_000, exp=1_000_300),
        "unknown key id": provider.mint(key=stranger),
        "HS256 development token": issue_token(DEV_JWT_SECRET, sub="admin-1", role="admin"),
        # the classic confusion: HS256 keyed with the provider's public key
        "HS256 over the public key": _hs256_over(public_pem, provider),
        "unsigned": jwt.encode({"iss": provider.issuer, "sub": "x"}, key=None, algorithm="none"),
    }
    statuses = {what: _status(api, token) for what, token in refused.items()}
    assert statuses == dict.fromkeys(refused, 401)
    response = api.get("/v1/claims", headers={"Authorization": f"Bearer {refused['HS256 development token']}"})
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "HS256" in response.json()["detail"]


def _hs256_over(public_pem: bytes, provider: OidcProvider) -> str:
    """PyJWT refuses to sign with a PEM as an HMAC key, so the token is put together by hand."""
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": provider.keys[0].kid}).encode())
    body = b64(json.dumps({"iss": provider.issuer, "aud": "grants-applications", "sub": "x", "iat": 1,
                           "exp": 9_999_999_999, "roles": ["admin"]}).encode())
    signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(signature)}"


def test_a_rotated_key_is_fetched_when_a_token_names_it(api, provider):
    assert _status(api, provider.mint()) == 200
    fetched = provider.jwks_fetches
    new = provider.rotate(keep_old=False)
    assert _status(api, provider.mint(key=new)) == 200
    assert provider.jwks_fetches == fetched + 1  # one refetch for the unknown kid, then cached
    assert _status(api, provider.mint(key=new)) == 200 and provider.jwks_fetches == fetched + 1


def test_an_unknown_key_id_refetches_at_most_once_per_cooldown(database, provider):
    app = create_app(production_settings(database, provider, grants_oidc_jwks_cooldown_seconds=300), run_workers=False)
    with TestClient(app) as api:
        assert _status(api, provider.mint()) == 200
        fetched = provider.jwks_fetches
        for _ in range(5):  # made-up key ids do not become requests to the provider
            assert _status(api, provider.mint(key=SigningKey())) == 401
        assert provider.jwks_fetches == fetched


def test_the_providers_roles_are_mapped_to_ours(database, provider):
    app = create_app(production_settings(database, provider, grants_oidc_role_map={"grants-officer": "officer"}),
                     run_workers=False)
    with TestClient(app) as api:
        def post_claim(roles: list[str]) -> int:
            return api.post("/v1/claims", json=skill_upgrade_body(), headers={
                "Authorization": f"Bearer {provider.mint(roles=roles)}", "Idempotency-Key": str(uuid.uuid4())
            }).status_code

        assert post_claim(["default-roles-grants", "applicant"]) == 201
        assert post_claim(["default-roles-grants", "applicant", "officer"]) == 403  # the staff role wins
        assert post_claim(["grants-officer"]) == 403  # mapped: an officer
        assert post_claim(["offline_access"]) == 401  # none of ours
        assert post_claim(["officer", "auditor"]) == 401  # one staff role per account


def test_disbursement_reads_claim_bodies_with_its_own_client_credentials_and_scope(database, provider):
    app = create_app(production_settings(database, provider), run_workers=False)
    with serve(app) as base:
        filed = TestClient(app).post("/v1/claims", json=skill_upgrade_body(7), headers={
            "Authorization": f"Bearer {provider.mint()}", "Idempotency-Key": "k"})
        claim_id = filed.json()["claim_id"]
        own = ClientCredentials(provider.token_url, "grants-disbursement", SECRETS["grants-disbursement"],
                                CLAIMS_READ_BODY)
        source = ClaimSource(base, own)
        assert source.body(claim_id) == skill_upgrade_body(7)
        assert source.bodies([claim_id]) == {claim_id: skill_upgrade_body(7)}
        assert [(r["client_id"], r["grant_type"], r["scope"]) for r in provider.token_requests] == [
            ("grants-disbursement", "client_credentials", CLAIMS_READ_BODY)]  # one token, cached

        # the audit's client may not have that scope (the realm makes it optional on disbursement alone), so its
        # token is not even meant for applications (no audience): refused
        audit = ClaimSource(base, ClientCredentials(None, "grants-audit", SECRETS["grants-audit"], CLAIMS_READ_BODY,
                                                    issuer=provider.issuer))
        with pytest.raises(RetryLater, match="401"):
            audit.body(claim_id)
        # a wrong secret is a dependency to retry, never a poison message
        forged = ClaimSource(base, ClientCredentials(provider.token_url, "grants-disbursement", "wrong",
                                                     CLAIMS_READ_BODY))
        with pytest.raises(RetryLater):
            forged.body(claim_id)


def test_a_services_own_token_never_acts_as_a_person(api, provider):
    token = provider._client_token("grants-disbursement", CLAIMS_READ_BODY)["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "s"}
    # it carries the realm's default applicant role, yet it is the service, not an applicant
    assert api.post("/v1/claims", json=skill_upgrade_body(), headers=headers).status_code == 403


def test_grants_token_is_refused_in_production(monkeypatch, capsys):
    from cli.main import main

    monkeypatch.setenv("GRANTS_ENV", "production")
    assert main(["token", "--role", "admin", "--sub", "root"]) == 2
    assert "refused in production" in capsys.readouterr().err
