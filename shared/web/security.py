"""FastAPI dependencies for auth: 401 for a missing or bad token, 403 for a wrong role."""

from typing import Annotated

from fastapi import Depends, Request

from shared.auth import ROLES, InvalidToken, Principal, verify_token
from shared.errors import Forbidden, Unauthorized


def current_principal(request: Request) -> Principal:
    """The caller of this request, from its bearer token, checked with the service's GRANTS_JWT_SECRET."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <token>")
    try:
        principal = verify_token(request.app.state.runtime.settings.grants_jwt_secret, token.strip())
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
