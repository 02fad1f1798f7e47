"""FastAPI dependencies for auth: 401 for a missing or bad token, 403 for a wrong role or a missing scope."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth import ROLES, SERVICE_ROLE, InvalidToken, Principal
from shared.errors import Forbidden, Unauthorized


# Declares the bearer scheme in the OpenAPI document (and every route that needs it); the header is read below,
# so that a missing or malformed one is our 401 problem document, not FastAPI's own 403.
_bearer = HTTPBearer(auto_error=False, bearerFormat="JWT", scheme_name="bearerAuth",
                     description="an access token: the OIDC provider's, or `grants token` in development")


def current_principal(request: Request,
                      _: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None) -> Principal:
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


def role_gate(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency admitting only `roles`: FastAPI solves dependencies before it validates a typed body, so a
    wrong role is a 403 whatever the body (issue 12 point 7), not a 422 that tells what would pass."""

    def gate(principal: Caller) -> Principal:
        return require_role(principal, *roles)

    return gate


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


Officer = Annotated[Principal, Depends(role_gate("officer"))]
Admin = Annotated[Principal, Depends(role_gate("admin"))]
OfficerOrAdmin = Annotated[Principal, Depends(role_gate("officer", "admin"))]
