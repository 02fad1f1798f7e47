"""A service's own identity on the calls it makes to another service: an OAuth 2.0 client-credentials token
(RFC 6749 §4.4) for its own client, asking for exactly the scope the call needs. No service holds a key
that signs a person's token: in production the provider alone signs; in development the stand-in below
signs service tokens only (shared.auth.issue_service_token: scopes, no role).

Written on httpx's Auth flow rather than authlib's client, whose httpx integration is deprecated for an
httpx fork: a cached token, refetched shortly before it expires and once when the callee answers 401.
"""

import threading
import time
from collections.abc import Generator

import httpx

from shared.auth import issue_service_token
from shared.oidc import IdentityProviderUnavailable, discovery
from shared.settings import ServiceSettings


class ClientCredentials(httpx.Auth):
    """token_url, or (None) the token_endpoint of issuer's discovery document, read at the first call so a
    service starts while its provider is still starting."""

    def __init__(self, token_url: str | None, client_id: str, client_secret: str, scope: str, *,
                 issuer: str | None = None, renew_before_seconds: float = 30.0, timeout: float = 10.0):
        if token_url is None and issuer is None:
            raise ValueError("GRANTS_OIDC_CLIENT_SECRET needs GRANTS_OIDC_TOKEN_URL or GRANTS_OIDC_ISSUER")
        self.token_url, self.issuer = token_url, issuer
        self.client_id, self.client_secret, self.scope = client_id, client_secret, scope
        self.renew_before, self.timeout = renew_before_seconds, timeout
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        """The current access token, fetched when there is none or it is about to expire. An endpoint that
        cannot be reached or refuses the client raises httpx.HTTPError (the caller retries later)."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at - self.renew_before:
                if self.token_url is None:
                    try:
                        self.token_url = discovery(self.issuer)["token_endpoint"]  # type: ignore[arg-type]
                    except IdentityProviderUnavailable as exc:
                        raise httpx.TransportError(str(exc)) from exc
                response = httpx.post(self.token_url, data={"grant_type": "client_credentials", "scope": self.scope},
                                      auth=(self.client_id, self.client_secret), timeout=self.timeout)
                response.raise_for_status()
                body = response.json()
                self._token = body["access_token"]
                self._expires_at = time.monotonic() + float(body.get("expires_in", 60))
            return self._token

    def forget(self) -> None:
        with self._lock:
            self._token = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        response = yield request
        if response.status_code == 401:  # revoked, or the provider's keys rotated under it: one new token
            self.forget()
            request.headers["Authorization"] = f"Bearer {self.token()}"
            yield request


class DevelopmentServiceToken(httpx.Auth):
    """Development and test: the service's token signed with the development secret, scopes and no role."""

    def __init__(self, secret: str, client_id: str, scope: str):
        self.secret, self.client_id, self.scope = secret, client_id, scope

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = issue_service_token(self.secret, client=self.client_id, scopes=tuple(self.scope.split()))
        request.headers["Authorization"] = f"Bearer {token}"
        yield request


def service_auth(settings: ServiceSettings, scope: str) -> httpx.Auth:
    """The service's credentials for a call needing `scope`: client credentials wherever a client secret is
    set (always in production), the development token otherwise."""
    if settings.grants_oidc_client_secret:
        return ClientCredentials(settings.grants_oidc_token_url, settings.oidc_client_id,
                                 settings.grants_oidc_client_secret, scope, issuer=settings.grants_oidc_issuer)
    if settings.grants_env == "production":
        raise ValueError(f"GRANTS_OIDC_CLIENT_SECRET (the {settings.oidc_client_id} client's) is needed in production")
    return DevelopmentServiceToken(settings.grants_jwt_secret, settings.oidc_client_id, scope)
