"""FastAPI dependencies for auth: 401 for a missing or bad token, 403 for a wrong role."""

from collections.abc import Callable

from fastapi import Request

from shared.auth import InvalidToken, Principal, verify_token
from shared.errors import Forbidden, Unauthorized


def principal_dependency(secret_of: Callable[[Request], str]) -> Callable[[Request], Principal]:
    def current_principal(request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("send Authorization: Bearer <token>")
        try:
            principal = verify_token(secret_of(request), token.strip())
        except InvalidToken as exc:
            raise Unauthorized(f"the access token is not valid: {exc}") from exc
        request.state.principal = principal
        return principal

    return current_principal


def require_role(principal: Principal, *roles: str) -> Principal:
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role!r} may not do this; needs one of: {', '.join(roles)}")
    return principal
