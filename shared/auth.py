"""Bearer JWTs (HS256): claims sub, role, exp, optional name."""

import time
from dataclasses import dataclass

import jwt

ROLES = ("applicant", "officer", "auditor", "admin")
# The role groups routes check (shared.web.security.require_role), in ROLES order.
STAFF = ("officer", "auditor", "admin")  # may read every claim, batch, entitlement, fund and parameter
AUDIT_READERS = ("auditor", "admin")  # may read the audit ledger, findings and reports


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    name: str | None = None


class InvalidToken(Exception):
    pass


def issue_token(secret: str, *, sub: str, role: str, name: str | None = None, ttl_seconds: int = 3600) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not sub or len(sub) > 200:
        raise ValueError("sub must be 1-200 characters")
    if ttl_seconds <= 0:
        raise ValueError("ttl must be positive")
    now = int(time.time())
    claims = {"sub": sub, "role": role, "iat": now, "exp": now + ttl_seconds}
    if name:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(secret: str, token: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["sub", "role", "exp"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    role, sub = claims.get("role"), claims.get("sub")
    if role not in ROLES or not isinstance(sub, str) or not sub:
        raise InvalidToken("token carries an unknown role or no subject")
    name = claims.get("name")
    return Principal(sub=sub, role=role, name=name if isinstance(name, str) else None)
