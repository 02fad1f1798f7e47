"""The applications service: the applicant portal API and its workers.

The top room: create_app builds the app over api/ (whose routes call service/) and the workers over
messaging/ (whose handlers call service/ too); service/ calls db/ and domain/, and nothing runs back up
(the package docstring walks the rooms in that order).
"""

from fastapi import FastAPI

from services.applications.api import internal_routes, payee_routes, request_routes
from services.applications.api.routes import router
from services.applications.config import Settings, get_settings
from services.applications.db.access_log import trail
from services.applications.db.tables import inbox, outbox
from services.applications.messaging.claim_status_events import consumer_spec
from shared.db import make_engine
from shared.logging import configure_logging
from shared.web.app import install_common
from shared.web.runtime import Runtime, runtime_lifespan

SERVICE = "applications"


def create_app(settings: Settings | None = None, *, run_workers: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.grants_env)
    runtime = Runtime(service=SERVICE, settings=settings, engine=make_engine(settings.applications_database_url),
                      outbox=outbox, inbox=inbox, consumer_specs=[consumer_spec(settings)], access_trail=trail)
    workers = settings.grants_run_workers if run_workers is None else run_workers
    app = FastAPI(title="grants applications", version="1.0", lifespan=runtime_lifespan(runtime, workers))
    app.state.runtime = runtime
    install_common(app, service=SERVICE, engine_of=lambda: runtime.engine, bootstrap_of=lambda: settings.kafka_bootstrap)
    app.include_router(router)
    app.include_router(payee_routes.router)
    app.include_router(request_routes.router)
    app.include_router(internal_routes.router)
    return app
