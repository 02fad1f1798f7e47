"""Access tokens: who the caller is (Principal) and the checks every token passes, whoever signed it.

Two signers. In production the OIDC provider (RS256/ES256 through its JWKS, shared.oidc); in development and
test also the HS256 signer here (`grants token`, the tests, the demo), which production refuses. Either way
the claims are read into a Principal by one function, principal_from_claims, after the same time checks.

A human's token carries roles (ours, or the provider's mapped to ours); a service's own client-credentials
token (its `azp` one of the service clients) carries no human role, only scopes (role "service"), so a
service acts as itself and can never pass for an officer or an admin.
"""

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt

from shared.subjects import checked_subject

ROLES = ("applicant", "officer", "auditor", "admin")
STAFF_ROLES = ("officer", "auditor", "admin")
# The role groups routes check (shared.web.security.require_role), in ROLES order.
STAFF = ("officer", "auditor", "admin")  # may read every claim, batch, entitlement, fund and parameter
AUDIT_READERS = ("auditor", "admin")  # may read the audit ledger, findings and reports
SERVICE_ROLE = "service"  # a service's own identity: no human role, only its scopes
SERVICE_CLIENTS = ("grants-applications", "grants-disbursement", "grants-audit")
CLAIMS_READ_BODY = "claims:read-body"  # disbursement reads claim bodies from applications (claim check)
PAYMENTS_READ_EVIDENCE = "payments:read-evidence"  # the audit reads a payment's decision and approvals (its trail)


@dataclass(frozen=True)
class Principal:
    sub: str  # the normalised subject (shared.subjects.subject_key): what every comparison and record uses
    role: str
    name: str | None = None
    scopes: frozenset[str] = frozenset()
    client: str | None = None  # for role "service": the calling service's client id


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class TokenRules:
    """What a token must satisfy besides its signature (issue 12, point 8; the role mapping of issue 16)."""

    leeway_seconds: int = 30
    max_lifetime_seconds: int = 86400
    # a dotted path to a role or a list of roles: `roles` in our Keycloak realm (`realm_access.roles` in
    # Keycloak's default), `role` in the development tokens (contract §2)
    roles_claim: str = "roles"
    role_map: Mapping[str, str] = field(default_factory=dict)  # the provider's role name -> ours
    service_clients: frozenset[str] = frozenset(SERVICE_CLIENTS)


def _numeric(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InvalidToken(f"the token's {name!r} must be a number (seconds since the epoch)")
    return float(value)


def check_times(claims: dict[str, Any], rules: TokenRules, now: float | None = None) -> None:
    """exp and iat are numbers, iat is not in the future (beyond the leeway), exp is not past, and the
    token lives at most max_lifetime_seconds: a token good for a century is refused, even if signed."""
    now = time.time() if now is None else now
    exp, iat = _numeric(claims, "exp"), _numeric(claims, "iat")
    if iat > now + rules.leeway_seconds:
        raise InvalidToken("the token was issued in the future")
    if exp <= now - rules.leeway_seconds:
        raise InvalidToken("the token has expired")
    if exp - iat > rules.max_lifetime_seconds:
        raise InvalidToken(f"the token lives longer than {rules.max_lifetime_seconds} seconds")


def _claim_at(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _human_role(roles: list[str]) -> str:
    """One role per person: a staff role if the token holds one (the applicant default role every account
    gets is then ignored), applicant otherwise. Two staff roles on one account are refused: an officer who
    is also an auditor would audit their own payments."""
    staff = sorted({r for r in roles if r in STAFF_ROLES}, key=STAFF_ROLES.index)
    if len(staff) > 1:
        raise InvalidToken(f"the token holds more than one staff role ({', '.join(staff)}); an account holds one")
    if staff:
        return staff[0]
    if "applicant" in roles:
        return "applicant"
    raise InvalidToken("the token carries none of the roles " + ", ".join(ROLES))


def principal_from_claims(claims: dict[str, Any], rules: TokenRules) -> Principal:
    check_times(claims, rules)
    try:
        sub = checked_subject(claims.get("sub"))
    except ValueError as exc:
        raise InvalidToken(str(exc)) from None
    client = claims.get("azp") or claims.get("client_id")
    if isinstance(client, str) and client in rules.service_clients:
        scope = claims.get("scope")
        scopes = frozenset(scope.split()) if isinstance(scope, str) else frozenset()
        return Principal(sub=sub, role=SERVICE_ROLE, scopes=scopes, client=client)
    found = _claim_at(claims, rules.roles_claim)
    found = [found] if isinstance(found, str) else found if isinstance(found, list) else []
    roles = [rules.role_map.get(r, r) for r in found if isinstance(r, str)]
    name = claims.get("name")
    return Principal(sub=sub, role=_human_role(roles), name=name if isinstance(name, str) else None)


# --- The development signer (HS256): development and test only; shared.oidc refuses it in production. ---

def _signed(secret: str, claims: dict[str, Any], ttl_seconds: int, max_lifetime: int) -> str:
    if not 0 < ttl_seconds <= max_lifetime:
        raise ValueError(f"ttl must be 1-{max_lifetime} seconds")
    now = int(time.time())
    return jwt.encode({**claims, "iat": now, "exp": now + ttl_seconds}, secret, algorithm="HS256")


def issue_token(secret: str, *, sub: str, role: str, name: str | None = None, ttl_seconds: int = 3600,
                max_lifetime: int = TokenRules.max_lifetime_seconds) -> str:
    """A person's development token (`grants token`)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    checked_subject(sub)
    claims: dict[str, Any] = {"sub": sub, "role": role}
    if name:
        claims["name"] = name
    return _signed(secret, claims, ttl_seconds, max_lifetime)


def issue_service_token(secret: str, *, client: str, scopes: tuple[str, ...], ttl_seconds: int = 300) -> str:
    """A service's own development token, the stand-in for its client-credentials token: scopes, no role."""
    return _signed(secret, {"sub": f"service-account-{client}", "azp": client, "scope": " ".join(scopes)},
                   ttl_seconds, TokenRules.max_lifetime_seconds)


DEVELOPMENT_RULES = TokenRules(roles_claim="role")


def verify_token(secret: str, token: str, rules: TokenRules = DEVELOPMENT_RULES) -> Principal:
    """A development token, checked against the HS256 secret."""
    try:
        # PyJWT's own exp check (it reads "1e30" and strings as numbers) is replaced by check_times
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False,
                                                                           "require": ["sub", "exp", "iat"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    return principal_from_claims(claims, rules)
