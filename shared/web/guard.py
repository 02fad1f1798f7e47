"""The request guard every service runs first (issue 12 points 2 and 4): no NUL byte anywhere a request
carries data, and a body limit counted on the bytes actually read, per route.

Why NUL: PostgreSQL text cannot hold U+0000 (psycopg raises DataError, a 500 or a dropped streaming
response); refusing it here, once, keeps every route and every backend alike. Path, query string and
header values are checked before routing; the body as it is read (a raw NUL byte, the JSON escape
\\u0000 in a JSON body). A bank file's route (body_limit) reads its own bytes: its reader answers a line it
cannot read as an invalid line, as it always has, and stores no raw text.

Why count: a Content-Length header is a promise, a chunked body has none. The limit is the route's:
routes taking bank files declare a larger one with `body_limit("grants_bank_file_max_bytes")`, read from
the service's settings when the body is first read, so an operator can change it without a release.
"""

import re
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.exceptions import HTTPException

from shared.web.problem_document import problem

DEFAULT_BODY_LIMIT = 64 * 1024
_LIMIT_ATTRIBUTE = "__grants_body_limit_setting__"
# A JSON \u0000 escape, not preceded by an escaped backslash (an even run of backslashes before the "\u").
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


class BodyRefused(HTTPException):
    """Raised from the guarded receive while the route reads its body. An HTTPException so FastAPI's body
    reader passes it on unchanged; shared.web.problems renders it as a problem document naming `field`."""

    def __init__(self, status: int, slug: str, title: str, detail: str, field: str = "body"):
        super().__init__(status_code=status, detail=detail)
        self.slug, self.title, self.field = slug, title, field


def body_limit(setting: str) -> Callable[[Endpoint], Endpoint]:
    """Give a route the body limit held in the service settings' field `setting` (bytes), instead of
    DEFAULT_BODY_LIMIT. Put it under the route decorator:

        @router.post("/v1/bank-returns")
        @body_limit("grants_bank_file_max_bytes")
        async def post_bank_returns(request: Request, ...): ...  # may read request.stream() chunk by chunk
    """
    def mark(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, _LIMIT_ATTRIBUTE, setting)
        return endpoint

    return mark


def route_body_limit(scope: dict) -> tuple[int, bool]:
    """The limit of the route the request was routed to (the router puts it in the scope before any read),
    and whether it is a file route (body_limit) whose reader judges its own bytes."""
    route = scope.get("route")
    setting = getattr(getattr(route, "endpoint", None), _LIMIT_ATTRIBUTE, None)
    if setting is None:
        return DEFAULT_BODY_LIMIT, False
    return int(getattr(scope["app"].state.runtime.settings, setting)), True


def nul_in_request(scope: dict) -> str | None:
    """The first part of the request line or headers carrying a NUL, or None."""
    if "\x00" in scope.get("path", "") or b"%00" in (scope.get("raw_path") or b""):
        return "path"
    query = scope.get("query_string", b"")
    if b"\x00" in query or b"%00" in query:
        return "query"
    for name, value in scope.get("headers") or ():
        if b"\x00" in value or b"\x00" in name:
            return name.decode("latin-1")
    return None


class GuardedBody:
    """The receive callable the app reads its body through: counts bytes against the route's limit and
    refuses NUL. JSON bodies are kept until their last chunk so an escape split across chunks is seen."""

    def __init__(self, scope: dict, receive: Callable):
        self.scope, self.receive = scope, receive
        self.limit: int | None = None
        self.read = 0
        self.file_route = False
        self.json = _is_json(scope)
        self.kept = bytearray()

    async def __call__(self) -> dict:
        if self.limit is None:
            self.limit, self.file_route = route_body_limit(self.scope)
            declared = _content_length(self.scope)
            if declared is not None and declared > self.limit:
                raise _too_large(self.limit)
        message = await self.receive()
        if message["type"] != "http.request":
            return message
        chunk = message.get("body", b"")
        self.read += len(chunk)
        if self.read > self.limit:
            raise _too_large(self.limit)
        if self.file_route:
            return message
        if b"\x00" in chunk:
            raise _nul("body")
        if self.json:
            self.kept += chunk
            if not message.get("more_body", False) and _JSON_NUL.search(self.kept):
                raise _nul("body")
        return message


class RequestGuard:
    """Pure ASGI middleware: NUL in the request line or headers is a 422 before routing; the body goes
    through GuardedBody."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        where = nul_in_request(scope)
        if where is not None:
            response = problem(422, "validation-error", "The request is not valid",
                               f"{where}: must not contain a NUL character",
                               [{"field": where, "message": "must not contain a NUL character"}])
            return await response(scope, receive, send)
        return await self.app(scope, GuardedBody(scope, receive), send)


def _is_json(scope: dict) -> bool:
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            media = value.split(b";")[0].strip().lower()
            return media == b"application/json" or media.endswith(b"+json")
    return True  # FastAPI reads a body without a Content-Type as JSON


def _content_length(scope: dict) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _too_large(limit: int) -> BodyRefused:
    return BodyRefused(413, "payload-too-large", "Payload too large", f"this route takes bodies of at most {limit} bytes")


def _nul(field: str) -> BodyRefused:
    return BodyRefused(422, "validation-error", "The request is not valid", f"{field}: must not contain a NUL character",
                       field)
