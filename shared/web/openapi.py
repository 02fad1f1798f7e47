"""Every service's OpenAPI document as a client generator needs it, and /docs served without a CDN.

FastAPI documents the happy path; this adds what the services actually answer besides: every error as the
RFC 9457 problem document shared.web.problems sends (FastAPI's own `HTTPValidationError` is not what a 422
carries), 401/403 on every route that takes a token, 404 on every route with a path parameter, 413 on
every route with a body, 422 everywhere (an unknown query parameter is refused on every route), and the
statuses a route declares itself (`responses=problems(409, 503)`).
"""

import copy
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from shared.web.problems import PROBLEM_JSON

DOC_ASSETS = "/docs/assets"
_METHODS = ("get", "put", "post", "delete", "patch")


class FieldError(BaseModel):
    field: str = Field(description="the dotted path of the faulty field, a query parameter or header name, or `body`")
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details; some refusals add members (the figures of a refused approval, a claim id)."""

    model_config = ConfigDict(extra="allow", title="Problem")
    type: str = Field(description="https://grants.example/problems/<slug>: stable, one per kind of refusal")
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(default=None, description="for a 422: every faulty field")


DESCRIPTIONS = {
    400: "Bad request",
    401: "Missing, malformed, expired or otherwise invalid bearer token",
    403: "The caller's role or scope may not do this",
    404: "No such resource (or another applicant's)",
    409: "Conflicts with the resource's state",
    413: "The body is larger than the limit",
    415: "Unsupported media type",
    422: "The request is not valid: `errors` names every faulty field (an unknown query parameter too)",
    503: "A service this request depends on cannot be reached (the identity provider, another service); retry later",
}


def problems(*statuses: int, described: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the extra problem statuses it can answer (`problems(409, 503)`), with a
    route's own wording where the generic one says too little."""
    texts = {**DESCRIPTIONS, **(described or {})}
    return {s: {"description": texts.get(s, "Refused")} for s in (*statuses, *(described or {}))}


def json_body(schema: dict[str, Any], *, headers: list[dict[str, Any]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    """`openapi_extra=` for a route that reads its JSON body itself (to name faulty fields its own way) but
    whose body has a model: the model's schema (its `$defs` go to components), and header parameters the
    route checks in its body (after the role: a wrong role is a 403 before any header or body is judged)."""
    extra: dict[str, Any] = {"requestBody": {"required": True,
                                             "content": {"application/json": {"schema": copy.deepcopy(schema)}}}}
    if headers:
        extra["parameters"] = list(headers)
    return extra


def install_openapi(app: FastAPI) -> None:
    """Replace app.openapi with the completed document (built once, on first request, as FastAPI does)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes, servers=app.servers)
            app.openapi_schema = complete(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    # operation ids are the routes' function names (post_claim, approve...): what a generated client calls.
    # Set on the app's router before any route is added: included routers fall back to it.
    app.router.generate_unique_id_function = lambda route: route.name
    _install_docs(app)


def complete(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem_schema.pop("$defs", {}))
    schemas["Problem"] = problem_schema
    secured = bool(document["components"].get("securitySchemes"))
    for operation in _operations(document):
        _document_problems(operation, secured)
        for media in operation.get("requestBody", {}).get("content", {}).values():
            schemas.update(media.get("schema", {}).pop("$defs", {}))  # a body documented by json_body()
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for item in document.get("paths", {}).values() for method, op in item.items() if method in _METHODS]


def _document_problems(operation: dict[str, Any], secured: bool) -> None:
    responses = operation.setdefault("responses", {})
    wanted = [422]
    if secured and operation.get("security"):
        wanted += [401, 403, 503]
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        wanted.append(404)
    if "requestBody" in operation:
        wanted.append(413)
    for status in wanted:
        responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
    responses["422"] = {"description": DESCRIPTIONS[422]}
    for status, response in responses.items():
        if status[0] in "45" and (status == "422" or "content" not in response):
            response["content"] = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    operation["responses"] = dict(sorted(responses.items()))


def _install_docs(app: FastAPI) -> None:
    """Swagger UI from the swagger-ui-bundle-v2 package (its assets under /docs/assets), in place of
    FastAPI's page, which loads them from a CDN; ReDoc (CDN only) goes."""
    import swagger_ui_bundle

    cdn_pages = {"/docs", "/docs/oauth2-redirect", "/redoc"}
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in cdn_pages]
    app.docs_url = app.redoc_url = None
    app.mount(DOC_ASSETS, StaticFiles(directory=str(swagger_ui_bundle.swagger_ui_path)), name="docs-assets")
    redirect = "/docs/oauth2-redirect"

    def page(_: Request) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} API",
                                   swagger_js_url=f"{DOC_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOC_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{DOC_ASSETS}/favicon-32x32.png",
                                   oauth2_redirect_url=redirect)

    app.add_route("/docs", page, include_in_schema=False)
    app.add_route(redirect, lambda _: get_swagger_ui_oauth2_redirect_html(), include_in_schema=False)
