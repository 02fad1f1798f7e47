"""The console: a FastAPI app of server-rendered pages over the three services' public APIs."""

import os
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from services.console.api import (audit_routes, auth_routes, bank_return_routes, bank_statement_routes, batch_routes,
                                  claim_routes, fund_routes, job_routes, officer_claim_routes)
from services.console.api import access_log_routes, finding_routes, trail_routes
from services.console.api.errors import install_error_pages
from services.console.api.oidc import oidc_client
from services.console.api.security_headers import SecurityHeaders
from services.console.config import Settings, get_settings
from services.console.service.jobs import JobRunner
from shared.logging import configure_logging
from shared.web.telemetry import install_telemetry

SERVICE = "console"
STATIC = Path(__file__).resolve().parent / "api" / "static"
SESSION_COOKIE = "grants_console"
ROUTE_MODULES = (auth_routes, claim_routes, batch_routes, bank_return_routes, bank_statement_routes, fund_routes,
                 audit_routes, job_routes, officer_claim_routes, finding_routes, trail_routes, access_log_routes)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.grants_env)
    http = httpx.Client(timeout=settings.console_request_timeout_seconds)
    jobs = JobRunner(settings.console_job_workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        try:
            yield
        finally:
            jobs.shutdown()
            http.close()

    app = FastAPI(title="grants console", version="1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.settings, app.state.http, app.state.jobs = settings, http, jobs
    app.state.backend_urls = (settings.applications_url, settings.disbursement_url, settings.audit_url)
    app.state.oidc = oidc_client(settings)
    # HttpOnly always; SameSite=Lax so the provider's redirect back to /signin/callback carries the session
    # (Strict would drop it on that cross-site navigation); Secure in production.
    app.add_middleware(SessionMiddleware, secret_key=settings.console_session_secret, session_cookie=SESSION_COOKIE,
                       max_age=settings.console_session_max_age_seconds, same_site="lax",
                       https_only=settings.cookie_secure)
    app.add_middleware(SecurityHeaders, issuer=settings.grants_oidc_issuer)
    install_telemetry(app, SERVICE)  # /metrics, a log line per request (never its query), traces when configured
    install_error_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in ROUTE_MODULES:
        app.include_router(module.router)

    @app.get("/healthz/live", include_in_schema=False)
    def live() -> dict:
        return {"status": "live", "service": SERVICE, "pid": os.getpid()}

    @app.get("/healthz/ready", include_in_schema=False)
    def ready() -> JSONResponse:
        """Ready when the three services it shows answer."""
        checks = {}
        for name, url in zip(("applications", "disbursement", "audit"), app.state.backend_urls):
            try:
                checks[name] = http.get(f"{url}/healthz/live", timeout=2.0).status_code == 200
            except httpx.HTTPError:
                checks[name] = False
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not_ready", "service": SERVICE, "pid": os.getpid(),
                             "checks": checks}, status_code=200 if ok else 503)

    return app
