"""Production sign-in: the console sends the person to the provider (authorization code, PKCE S256, state,
nonce), takes the code back, exchanges it with its verifier, checks the ID token, and signs the person in with
the role the provider's token names; the token it then uses for the services is the provider's access token."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from services.console.domain.identity import SessionUser
from tests.console.login_provider import LoginProvider
from tests.console.support import PRODUCTION, console, csrf_of


@pytest.fixture
def provider():
    with LoginProvider() as running:
        yield running


def _through_the_provider(client, provider):  # type: ignore[no-untyped-def]
    """The browser's round trip: console → provider → console's callback."""
    to_provider = client.get("/signin/oidc?next=/officer/batches", follow_redirects=False)
    assert to_provider.status_code == 302
    location = to_provider.headers["location"]
    assert location.startswith(provider.issuer + "/auth?")
    back = httpx.get(location, follow_redirects=False).headers["location"]
    callback = urlsplit(back)
    assert f"https://{callback.netloc}{callback.path}" == "https://console.test/signin/callback"
    return parse_qs(urlsplit(location).query), client.get(f"{callback.path}?{callback.query}", follow_redirects=False)


def test_the_console_signs_in_through_the_provider_with_pkce(provider):
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})
    asked, signed_in = _through_the_provider(client, provider)
    assert asked["response_type"] == ["code"] and asked["client_id"] == ["grants-console"]
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert asked["state"][0] and asked["nonce"][0] and asked["scope"] == ["openid"]
    assert asked["redirect_uri"] == ["https://console.test/signin/callback"]
    exchange = provider.token_requests[-1]
    assert exchange["grant_type"] == "authorization_code" and exchange["code_verifier"]
    assert "client_secret" not in exchange  # a public client: PKCE instead of a secret
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/officer/batches"
    page = client.get("/officer/bank-returns")
    assert page.status_code == 200 and "李明 · 财务经办人" in page.text


def test_the_session_carries_the_providers_access_token_for_the_services(provider):
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})
    _through_the_provider(client, provider)
    user = _session_user(client)
    assert user.token == provider.issued[-1]["access_token"] and user.role == "officer" and user.sub == "u-1"


def _session_user(client) -> SessionUser:  # type: ignore[no-untyped-def]
    """Read the session as the console does (the cookie is signed with the console's secret)."""
    import base64
    import json

    import itsdangerous

    signer = itsdangerous.TimestampSigner(PRODUCTION["console_session_secret"])
    data = json.loads(base64.b64decode(signer.unsign(client.cookies["grants_console"])))
    return SessionUser.from_session(data["user"])


def test_a_code_exchanged_without_its_verifier_signs_nobody_in(provider):
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})
    to_provider = client.get("/signin/oidc", follow_redirects=False)
    back = urlsplit(httpx.get(to_provider.headers["location"], follow_redirects=False).headers["location"])
    other = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})  # another browser: no verifier, no state
    refused = other.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert refused.status_code == 401 and "身份提供方未能完成登录" in refused.text
    assert other.get("/officer/queue", follow_redirects=False).headers["location"].startswith("/signin")


def test_an_id_token_the_providers_keys_did_not_sign_is_refused(provider):
    provider.forge_id_token = True
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})
    _asked, refused = _through_the_provider(client, provider)
    assert refused.status_code == 401
    assert client.get("/officer/queue", follow_redirects=False).headers["location"].startswith("/signin")


def test_an_account_without_a_role_of_ours_is_refused(provider):
    provider.person = {"sub": "u-2", "name": "访客", "roles": ["default-roles-grants", "offline_access"]}
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})
    _asked, refused = _through_the_provider(client, provider)
    assert refused.status_code == 401 and "您的账号在本系统中没有角色" in refused.text


def test_the_providers_role_names_map_to_ours(provider):
    provider.person = {"sub": "u-3", "name": "审计", "roles": ["default-roles-grants", "grants-auditor"]}
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer,
                        "grants_oidc_role_map": {"grants-auditor": "auditor"}})
    _asked, signed_in = _through_the_provider(client, provider)
    assert signed_in.headers["location"] == "/officer/batches"
    assert _session_user(client).role == "auditor"


def test_sign_out_ends_the_session_at_the_provider_too(provider):
    client = console(**{**PRODUCTION, "grants_oidc_issuer": provider.issuer})
    _through_the_provider(client, provider)
    page = client.get("/officer/bank-returns")
    out = client.post("/signout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.headers["location"].startswith(provider.issuer + "/logout?client_id=grants-console")
    assert client.get("/officer/queue", follow_redirects=False).headers["location"].startswith("/signin")


def test_sign_out_ends_the_consoles_session_even_when_the_provider_is_down(provider):
    settings = {**PRODUCTION, "grants_oidc_issuer": provider.issuer}
    client = console(**settings)
    _through_the_provider(client, provider)
    restarted = console(**settings)  # a console started since: it has not read the provider's metadata yet
    restarted.cookies = client.cookies
    page = restarted.get("/officer/bank-returns")
    assert "李明" in page.text
    provider.__exit__()
    out = restarted.post("/signout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/signin"
    assert restarted.get("/officer/queue", follow_redirects=False).headers["location"].startswith("/signin")
