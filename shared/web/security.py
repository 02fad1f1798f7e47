"""FastAPI dependencies for auth: 401 for a missing or bad token, 403 for a wrong role or a missing scope."""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth import ROLES, SERVICE_ROLE, STAFF, InvalidToken, Principal
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


def role_gate(*roles: str) -> Callable[[Principal], Principal]:
    """A dependency admitting only `roles`. Declared as a dependency (not checked in the route's body) so the
    role is decided before the body: FastAPI solves dependencies before it validates a typed body, and
    gate_first runs it for the refusals FastAPI raises even earlier (JSON that does not parse, a NUL)."""
    return _gate(lambda principal: require_role(principal, *roles))


def scope_gate(scope: str) -> Callable[[Principal], Principal]:
    """A dependency admitting only a service token carrying `scope` (require_scope), decided before the body."""
    return _gate(lambda principal: require_scope(principal, scope))


def _gate(check: Callable[[Principal], Principal]) -> Callable[[Principal], Principal]:
    def gate(principal: Caller) -> Principal:
        return check(principal)

    gate.grants_check = check  # type: ignore[attr-defined]
    return gate


def gate_first(request: Request) -> None:
    """Raise the 401 or 403 the matched route's gate (role_gate, scope_gate) would: called before any 422."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    pending: list[Any] = [route.dependant]
    while pending:
        current = pending.pop()
        check = getattr(current.call, "grants_check", None)
        if check is not None:
            check(current_principal(request))
            return
        pending.extend(current.dependencies)


Applicant = Annotated[Principal, Depends(role_gate("applicant"))]
Officer = Annotated[Principal, Depends(role_gate("officer"))]
Admin = Annotated[Principal, Depends(role_gate("admin"))]
Staff = Annotated[Principal, Depends(role_gate(*STAFF))]
OfficerOrAdmin = Annotated[Principal, Depends(role_gate("officer", "admin"))]
