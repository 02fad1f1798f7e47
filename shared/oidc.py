"""Tokens from the OIDC provider (Keycloak in deploy/): RS256/ES256 signatures checked against its JWKS,
issuer and audience checked, then the claims read as every token's are (shared.auth).

The JWKS is fetched when first needed and cached (GRANTS_OIDC_JWKS_CACHE_SECONDS); a token signed with a
key id the cache does not hold makes PyJWT's client refetch once (the provider rotated its keys), at most
once per GRANTS_OIDC_JWKS_COOLDOWN_SECONDS; a key id still unknown after that is a 401. A provider that
cannot be reached is a 503, not a 401: the caller's token may be fine.

token_verifier chooses per deployment: production accepts the provider's tokens only (HS256 is refused,
whatever secret signed it); development and test accept the HS256 development tokens, and the provider's
too when GRANTS_OIDC_ISSUER is set.
"""

import functools
import threading
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from shared.auth import InvalidToken, Principal, TokenRules, principal_from_claims, verify_token
from shared.errors import DomainError
from shared.settings import ServiceSettings

Verifier = Callable[[str], Principal]


class IdentityProviderUnavailable(DomainError):
    status, slug, title = 503, "identity-provider-unavailable", "The identity provider cannot be reached"


@functools.lru_cache(maxsize=8)
def discovery(issuer: str, timeout: float = 10.0) -> dict[str, Any]:
    """The issuer's OpenID Provider metadata (OpenID Connect Discovery 1.0 §4), fetched once."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=timeout)
        response.raise_for_status()
        metadata = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise IdentityProviderUnavailable(f"the provider's metadata at {url} could not be read: {exc}") from exc
    if metadata.get("issuer") != issuer:  # §4.3: the metadata must be the issuer's own
        raise IdentityProviderUnavailable(f"{url} names issuer {metadata.get('issuer')!r}, not {issuer!r}")
    return metadata


class OidcVerifier:
    def __init__(self, *, issuer: str, audience: str, algorithms: list[str], rules: TokenRules,
                 jwks_url: str | None = None, cache_seconds: float = 300.0, cooldown_seconds: float = 30.0):
        self.issuer, self.audience, self.algorithms, self.rules = issuer, audience, algorithms, rules
        self._jwks_url, self._cache_seconds, self._cooldown = jwks_url, cache_seconds, cooldown_seconds
        self._client: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()

    def _keys(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._client is None:
                url = self._jwks_url or discovery(self.issuer)["jwks_uri"]
                self._client = jwt.PyJWKClient(url, lifespan=self._cache_seconds, cooldown_duration=self._cooldown,
                                               timeout=10)
            return self._client

    def __call__(self, token: str) -> Principal:
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if alg not in self.algorithms:
            raise InvalidToken(f"tokens signed with {alg!r} are not accepted; {', '.join(self.algorithms)} only")
        try:
            key = self._keys().get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as exc:
            raise IdentityProviderUnavailable(f"the provider's keys could not be fetched: {exc}") from exc
        except jwt.PyJWTError as exc:  # no such key id (after one refetch), or a key that does not read
            raise InvalidToken(str(exc)) from exc
        try:
            claims = jwt.decode(token, key, algorithms=self.algorithms, audience=self.audience, issuer=self.issuer,
                                leeway=self.rules.leeway_seconds,
                                options={"require": ["iss", "aud", "sub", "exp", "iat"]})
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        return principal_from_claims(claims, self.rules)


def token_verifier(settings: ServiceSettings) -> Verifier:
    oidc = None
    if settings.grants_oidc_issuer:
        oidc = OidcVerifier(issuer=settings.grants_oidc_issuer, audience=settings.oidc_audience,
                            algorithms=settings.grants_oidc_algorithms, rules=settings.token_rules,
                            jwks_url=settings.grants_oidc_jwks_url,
                            cache_seconds=settings.grants_oidc_jwks_cache_seconds,
                            cooldown_seconds=settings.grants_oidc_jwks_cooldown_seconds)
    if settings.grants_env == "production":
        assert oidc is not None  # the settings refuse production without an issuer
        return oidc
    secret, rules = settings.grants_jwt_secret, settings.development_rules

    def development(token: str) -> Principal:
        try:
            alg = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if alg == "HS256" or oidc is None:
            return verify_token(secret, token, rules)
        return oidc(token)

    return development
