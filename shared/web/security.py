"""FastAPI dependencies for auth: 401 for a missing or bad token, 403 for a wrong role or a missing scope."""

from typing import Annotated

from fastapi import Depends, Request

from shared.auth import ROLES, SERVICE_ROLE, InvalidToken, Principal
from shared.errors import Forbidden, Unauthorized


def current_principal(request: Request) -> Principal:
    """The caller of this request, from its bearer token, checked by the service's verifier (shared.oidc)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <token>")
    try:
        principal = request.app.state.runtime.verifier(token.strip())
    except InvalidToken as exc:
        raise Unauthorized(f"the access token is not valid: {exc}") from exc
    request.state.principal = principal
    return principal


Caller = Annotated[Principal, Depends(current_principal)]


def require_role(principal: Principal, *roles: str) -> Principal:
    if principal.role not in roles:
        needed = ", ".join(r for r in ROLES if r in roles)
        raise Forbidden(f"role {principal.role!r} may not do this; needs one of: {needed}")
    return principal


def require_scope(principal: Principal, scope: str) -> Principal:
    """A service-to-service route: only a service's own token carrying `scope` (never a person's, whatever
    their role)."""
    if principal.role != SERVICE_ROLE or scope not in principal.scopes:
        raise Forbidden(f"only a service granted the scope {scope!r} may do this")
    return principal
