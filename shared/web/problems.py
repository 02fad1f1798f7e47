"""RFC 9457 problem details: every shared.errors.DomainError (and FastAPI's own validation and HTTP errors)
mapped by one set of handlers; never a bare 500 for bad input."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from shared.errors import DomainError
from shared.logging import get_logger
from shared.web.guard import BodyRefused
from shared.web.problem_document import PROBLEM_JSON, TYPE_BASE, problem  # noqa: F401 - where callers find them
from shared.web.security import gate_first

log = get_logger("shared.problems")
_UNPARSABLE_BODY = "There was an error parsing the body"  # FastAPI's 400 for a body json.loads cannot read


def _refused_by_gate(request: Request) -> JSONResponse | None:
    """Authorisation before validation (issue 12 point 7): the 401 or 403 the route's role gate gives."""
    try:
        gate_first(request)
    except DomainError as exc:
        return problem(exc.status, exc.slug, exc.title, exc.detail, exc.errors, **exc.extra)
    return None


def problem_of(exc: DomainError) -> JSONResponse:
    """The problem document of a domain error, for a route that answers with it rather than raising (so
    that what it recorded about the refusal is committed)."""
    return problem(exc.status, exc.slug, exc.title, exc.detail, exc.errors, **exc.extra)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed(request: Request) -> str:
    """Every method the path takes, for a 405's `Allow` (RFC 9110 §15.5.6): Starlette names only those of the
    first route whose path matched (GET and POST /v1/claims are two routes), so each method is tried on the
    app's routes as the router would (a full match takes it)."""
    routes = [route for route in request.app.router.routes if isinstance(route, BaseRoute)]
    allowed = [method for method in _METHODS
               if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)]
    return ", ".join(allowed)


def _field_path(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _record_refusal(request: Request, exc: DomainError) -> None:
    """A refused action (403) of a known caller goes on the service's access trail (shared.access_trail), in a
    transaction of its own: the request's own is rolled back."""
    runtime = getattr(request.app.state, "runtime", None)
    principal = getattr(request.state, "principal", None)
    trail = getattr(runtime, "access_trail", None)
    if trail is None or principal is None:
        return
    route = request.scope.get("route")
    params = request.path_params
    try:
        trail.record_refusal(runtime.engine, principal, purpose=f"{request.method} {getattr(route, 'path', request.url.path)}",
                             detail=exc.detail, claim_id=params.get("claim_id"), batch_id=params.get("batch_id"),
                             payment_id=params.get("payment_id"))
    except Exception:  # noqa: BLE001 - the refusal is answered even when its record cannot be written
        log.exception("access_trail.refusal_not_recorded")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        if exc.status == 403:
            await run_in_threadpool(_record_refusal, request, exc)
        return problem_of(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        refusal = _refused_by_gate(request)
        if refusal is not None:
            return refusal
        errors = [{"field": "body" if e.get("type") == "json_invalid" else _field_path(tuple(e.get("loc", ()))),
                   "message": e.get("msg", "invalid")} for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)[:1000]
        return problem(422, "validation-error", "The request is not valid", detail, errors)

    @app.exception_handler(BodyRefused)
    async def _body_refused(request: Request, exc: BodyRefused) -> JSONResponse:
        refusal = _refused_by_gate(request) if exc.status_code == 422 else None
        return refusal or problem(exc.status_code, exc.slug, exc.title, str(exc.detail),
                                  [{"field": exc.field, "message": str(exc.detail).removeprefix(f"{exc.field}: ")}])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:  # not UTF-8, or nested past recursion
            return _refused_by_gate(request) or problem(
                422, "validation-error", "The request is not valid", "body: not a readable JSON document",
                [{"field": "body", "message": "not a readable JSON document (UTF-8, nesting)"}])
        slug = {404: "not-found", 405: "method-not-allowed", 401: "unauthorized",
                413: "payload-too-large"}.get(exc.status_code, "http-error")
        headers = {**(exc.headers or {}), "Allow": _allowed(request)} if exc.status_code == 405 else exc.headers
        return problem(exc.status_code, slug, str(exc.detail), str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled_error", error=type(exc).__name__)
        return problem(500, "internal-error", "Internal error", "an unexpected error occurred; it has been logged")
