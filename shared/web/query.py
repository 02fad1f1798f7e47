"""The query parameters every list endpoint takes, and the refusal of any parameter a route does not declare
(a misspelt filter must not silently return the unfiltered list)."""

from typing import Annotated

from fastapi import Query, Request
from fastapi.routing import APIRoute

from shared.errors import ValidationFailed
from shared.web.security import gate_first

Limit = Annotated[int, Query(ge=1, le=500, description="page size (default 50, max 500)")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]


def refuse_unknown_query(request: Request) -> None:
    """422 naming every query parameter the matched route does not take."""
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    unknown = sorted(set(request.query_params) - _declared(route))
    if unknown:
        gate_first(request)  # a wrong role hears 403 whatever it sent (issue 12 point 7)
        raise ValidationFailed(f"unknown query parameter(s): {', '.join(unknown)}",
                               errors=[{"field": name, "message": "not a parameter of this endpoint"} for name in unknown])


def _declared(route: APIRoute) -> frozenset[str]:
    """The query parameter names of a route and of every dependency it has (a few, walked per request that
    sends any: cheaper than a cache keyed by route, which FastAPI routes cannot be)."""
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        current = pending.pop()
        names.update(field.alias for field in current.query_params)
        pending.extend(current.dependencies)
    return frozenset(names)
