"""Signing in: the development signer (a role and a name, minted with the development secret, development
and test only), and the user an OIDC provider's tokens name (production)."""

import time
from collections.abc import Mapping
from typing import Any

import jwt

from services.console.domain.identity import ROLES, SessionUser, role_from_claims, subject_for
from shared.auth import issue_token


class SignInRefused(Exception):
    pass


def development_user(secret: str, role: str, name: str, ttl_seconds: int) -> SessionUser:
    if role not in ROLES:
        raise SignInRefused("unknown role")
    try:
        sub = subject_for(name)
    except ValueError as exc:
        raise SignInRefused(str(exc)) from exc
    token = issue_token(secret, sub=sub, role=role, name=sub, ttl_seconds=ttl_seconds)
    return SessionUser(sub=sub, role=role, name=sub, token=token, expires_at=int(time.time()) + ttl_seconds)


def provider_user(token: Mapping[str, Any], roles_claim: str, role_map: Mapping[str, str]) -> SessionUser:
    """The user of an authorization-code exchange. The ID token's claims (`userinfo`, verified by the OIDC
    client: signature, issuer, audience, nonce) name the person; the role is read from them or else from the
    access token, which came to us directly from the token endpoint (the services verify it on every call)."""
    identity = dict(token.get("userinfo") or {})
    access = str(token.get("access_token") or "")
    if not identity.get("sub") or not access:
        raise SignInRefused("the provider sent no identity or no access token")
    try:
        access_claims = jwt.decode(access, options={"verify_signature": False})
    except jwt.PyJWTError:
        access_claims = {}
    role = role_from_claims(identity, roles_claim, role_map) or role_from_claims(access_claims, roles_claim, role_map)
    if role is None:
        raise SignInRefused("the account holds no role of this system, or more than one")
    name = str(identity.get("name") or identity.get("preferred_username") or identity["sub"])
    expires = int(token.get("expires_at") or access_claims.get("exp") or time.time() + 300)
    return SessionUser(sub=str(identity["sub"]), role=role, name=name, token=access, expires_at=expires)
