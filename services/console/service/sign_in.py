"""Signing in: the development signer (a role and a name, minted with the development secret, development
and test only), and the user an OIDC provider's tokens name (production). Who a token's claims name is read
as every service reads it (shared.auth.principal_from_claims): its times, its subject, one role per account."""

import time
import unicodedata
from collections.abc import Mapping
from typing import Any

import jwt

from services.console.domain.identity import ROLES, SessionUser
from shared.auth import InvalidToken, Principal, TokenRules, issue_token, principal_from_claims
from shared.subjects import checked_subject


class SignInRefused(Exception):
    pass


def development_user(secret: str, role: str, name: str, ttl_seconds: int) -> SessionUser:
    """The name is the subject: "李明" signs in as the same officer each time, and two names are two people
    (maker ≠ checker). The session keeps the subject's key, as the services record it."""
    if role not in ROLES:
        raise SignInRefused("unknown role")
    subject = " ".join(unicodedata.normalize("NFKC", name).split())
    try:
        key = checked_subject(subject)
        token = issue_token(secret, sub=subject, role=role, name=subject, ttl_seconds=ttl_seconds)
    except ValueError as exc:
        raise SignInRefused(str(exc)) from exc
    return SessionUser(sub=key, role=role, name=subject, token=token, expires_at=int(time.time()) + ttl_seconds)


def provider_user(token: Mapping[str, Any], roles_claim: str, role_map: Mapping[str, str]) -> SessionUser:
    """The user of an authorization-code exchange. The ID token's claims (`userinfo`, verified by the OIDC
    client: signature, issuer, audience, nonce) name the person; their role is read from them, or else from
    the access token, which came to us directly from the token endpoint (the services verify it on every call)."""
    identity = dict(token.get("userinfo") or {})
    access = str(token.get("access_token") or "")
    if not identity.get("sub") or not access:
        raise SignInRefused("the provider sent no identity or no access token")
    try:
        access_claims = jwt.decode(access, options={"verify_signature": False})
    except jwt.PyJWTError:
        access_claims = {}
    rules = TokenRules(roles_claim=roles_claim, role_map=dict(role_map))
    person = _person(identity, rules) or _person({**access_claims, "sub": identity["sub"]}, rules)
    if person is None or person.role not in ROLES:
        raise SignInRefused("the account holds no role of this system, or more than one")
    name = person.name or str(identity.get("preferred_username") or identity["sub"])
    expires = int(token.get("expires_at") or access_claims.get("exp") or time.time() + 300)
    return SessionUser(sub=person.sub, role=person.role, name=name, token=access, expires_at=expires)


def _person(claims: dict[str, Any], rules: TokenRules) -> Principal | None:
    try:
        return principal_from_claims(claims, rules)
    except InvalidToken:
        return None
