"""What every service's FastAPI app has: problem handlers, correlation ids, body limits, health endpoints,
and its telemetry (shared.web.telemetry: access log, metrics, traces)."""

import os
import socket
from collections.abc import Callable

from typing import Literal

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from shared import asyncapi, metrics
from shared.db import database_reachable
from shared.logging import bind_correlation_id, get_logger
from shared.web.guard import RequestGuard
from shared.web.openapi import install_openapi
from shared.web.problems import install_problem_handlers
from shared.web.query import refuse_unknown_query
from shared.web.telemetry import install_telemetry

log = get_logger("shared.http")


class Liveness(BaseModel):
    status: Literal["live"]
    service: str
    pid: int


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    service: str
    pid: int
    checks: dict[str, bool] = Field(description="database and broker: reachable or not")


def broker_reachable(bootstrap: str, timeout: float = 1.0) -> bool:
    for address in bootstrap.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            with socket.create_connection((host or "127.0.0.1", int(port)), timeout=timeout):
                return True
        except (OSError, ValueError):
            continue
    return False


class CorrelationAndLimits:
    """Pure ASGI middleware (BaseHTTPMiddleware costs a task and a queue per request): binds the correlation
    id for every log line of the request and echoes it (body limits and NUL: shared.web.guard)."""

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        import structlog

        headers = dict(scope.get("headers") or [])
        structlog.contextvars.clear_contextvars()
        cid = bind_correlation_id(headers.get(b"x-correlation-id", b"").decode("latin-1")[:64] or None)

        async def send_with_id(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-correlation-id", cid.encode()))
            await send(message)

        return await self.app(scope, receive, send_with_id)


def install_common(app: FastAPI, *, service: str, engine_of: Callable[[], Engine], bootstrap_of: Callable[[], str]) -> None:
    """Call before including the service's routers: the unknown-query check is a router-wide dependency,
    which only routes added afterwards take."""
    if any(isinstance(route, APIRoute) for route in app.routes):
        raise RuntimeError("install_common must run before the service's routers are included")
    install_problem_handlers(app)
    install_openapi(app)
    app.router.dependencies.append(Depends(refuse_unknown_query))

    app.add_middleware(RequestGuard)
    app.add_middleware(CorrelationAndLimits)  # added last: outermost, so the guard's refusals carry the id

    def observe_workers() -> None:
        runtime = getattr(app.state, "runtime", None)
        if runtime is not None:
            metrics.workers_observed(service, runtime.workers, runtime.settings.grants_worker_stale_seconds)

    install_telemetry(app, service, before_scrape=observe_workers)

    @app.get("/asyncapi.json", tags=["events"])
    def asyncapi_document() -> dict:
        """The AsyncAPI 3.0 document of every topic and event, with this service's operations."""
        runtime = app.state.runtime
        return asyncapi.document(service, runtime.consumer_specs, runtime.settings.grants_topic_prefix,
                                 runtime.settings.kafka_bootstrap)

    @app.get("/healthz/live", tags=["health"], response_model=Liveness)
    def live() -> dict:
        return {"status": "live", "service": service, "pid": os.getpid()}

    @app.get("/healthz/ready", tags=["health"], response_model=Readiness,
             responses={503: {"model": Readiness, "description": "The database or the broker cannot be reached"}})
    def ready() -> JSONResponse:
        checks = {"database": database_reachable(engine_of()), "broker": broker_reachable(bootstrap_of())}
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not_ready", "service": service, "pid": os.getpid(),
                             "checks": checks}, status_code=200 if ok else 503)

