"""What every service's app has for its operators: an access log line and the HTTP metrics per request,
GET /metrics (Prometheus text format), and the request's trace (shared.tracing)."""

import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from shared import metrics, tracing
from shared.logging import get_logger

log = get_logger("shared.access")
UNMATCHED = "unmatched"  # the route label of a request no route took (a 404): never the raw path


class AccessLogAndMetrics:
    """Pure ASGI middleware, outside the correlation-id middleware so its line carries the request's id.
    Labels the route by its template (`/v1/claims/{claim_id}`): a label per claim id would never end."""

    def __init__(self, app: Any, service: str):
        self.app, self.service = app, service

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), 500

        async def send_recording_status(message):  # type: ignore[no-untyped-def]
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_recording_status)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", UNMATCHED)
            labels = (self.service, route, scope["method"], str(status))
            metrics.HTTP_REQUESTS.labels(*labels).inc()
            metrics.HTTP_DURATION.labels(*labels).observe(elapsed)
            if route != "/metrics":
                log.info("http.request", method=scope["method"], route=route, path=scope["path"], status=status,
                         duration_ms=round(elapsed * 1000, 1))


def install_telemetry(app: FastAPI, service: str, before_scrape: Callable[[], None] | None = None) -> None:
    """before_scrape: readings taken when /metrics is asked for (the workers' liveness)."""

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        if before_scrape is not None:
            before_scrape()
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(AccessLogAndMetrics, service=service)
    tracing.instrument_app(app, service)
