"""The health endpoint of `grants worker` (a worker has no API of its own to answer a probe):

- GET /healthz/live: every worker thread (the relay, each consumer) runs and has tried a step recently;
  failing it means the process is stuck and restarting it helps (the container's liveness).
- GET /healthz/ready: live, each consumer polled and the relay made a pass within
  GRANTS_WORKER_STALE_SECONDS, and the database and the broker answer (the container's health).
- GET /metrics: the worker's metrics (shared.metrics), grants_worker_up and grants_dead_letters_open read at
  each scrape.
"""

import os
import threading
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.engine import Engine

from shared import metrics
from shared.web.app import broker_reachable, database_reachable
from shared.workers import WorkerSet


def health_app(service: str, workers: WorkerSet, engine: Engine, bootstrap: str, stale_seconds: float,
               open_dead_letters: Callable[[], int] | None = None) -> FastAPI:
    app = FastAPI(title=f"grants {service} worker health", openapi_url=None)

    def report(ready: bool) -> JSONResponse:
        live, working, details = workers.health(stale_seconds)
        body = {"service": service, "role": "worker", "pid": os.getpid(), "workers": details}
        ok = live
        if ready:
            checks = {"database": database_reachable(engine), "broker": broker_reachable(bootstrap)}
            ok = working and all(checks.values())
            body["checks"] = checks
        body["status"] = ("ready" if ok else "not_ready") if ready else ("live" if ok else "not_live")
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        metrics.workers_observed(service, workers, stale_seconds)
        if open_dead_letters is not None:
            metrics.dead_letters_open(service, open_dead_letters)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.get("/healthz/live")(lambda: report(ready=False))
    app.get("/healthz/ready")(lambda: report(ready=True))
    return app


class HealthServer:
    """uvicorn in a daemon thread (it installs no signal handlers off the main thread)."""

    def __init__(self, app: FastAPI, host: str, port: int):
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False))
        self.thread = threading.Thread(target=self.server.run, name="worker-health", daemon=True)

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; raises if the port cannot be bound (a worker nobody can probe is not started)."""
        import time

        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the worker health endpoint could not listen on port {self.server.config.port}")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)
