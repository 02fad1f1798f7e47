"""The disbursement service: decides claims against the policy catalog, batches and pays them.

The top room: create_app builds the app over api/ and the decider's consumer over messaging/, both calling
service/, which calls db/ and domain/; nothing runs back up (the package docstring walks the rooms).
"""

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from services.disbursement.api import bank_return_routes, batch_routes, entitlement_routes, fund_routes
from services.disbursement.api import evidence_routes, officer_routes, parameter_routes
from services.disbursement.api.routes import router
from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.config import Settings, get_settings
from services.disbursement.db.access_log import trail
from services.disbursement.db.tables import inbox, outbox
from services.disbursement.service.claim_deciding import Decider
from services.disbursement.messaging.claim_events import consumer_spec
from shared import tracing
from shared.auth import CLAIMS_READ_BODY
from shared.catalog import load_catalog
from shared.db import make_engine
from shared.logging import configure_logging
from shared.service_identity import service_auth
from shared.web.app import install_common
from shared.web.runtime import Runtime, runtime_lifespan, system_clock

SERVICE = "disbursement"


def create_app(settings: Settings | None = None, *, run_workers: bool | None = None,
               clock: Callable[[], datetime] = system_clock) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.grants_env)
    catalog = load_catalog()
    claim_source = ClaimSource(settings.applications_url, service_auth(settings, CLAIMS_READ_BODY))
    tracing.instrument_http_client(claim_source.client, SERVICE)
    decider = Decider(catalog, claim_source, settings.grants_pii_key)
    runtime = Runtime(service=SERVICE, settings=settings, engine=make_engine(settings.disbursement_database_url),
                      outbox=outbox, inbox=inbox, consumer_specs=[consumer_spec(settings, decider)], clock=clock,
                      access_trail=trail)
    workers = settings.grants_run_workers if run_workers is None else run_workers
    app = FastAPI(title="grants disbursement", version="1.0", lifespan=runtime_lifespan(runtime, workers))
    app.state.runtime = runtime
    app.state.catalog = catalog
    # the payment file fetches payee accounts from applications (claim check)
    app.state.claim_source = claim_source
    install_common(app, service=SERVICE, engine_of=lambda: runtime.engine, bootstrap_of=lambda: settings.kafka_bootstrap)
    app.include_router(router)
    app.include_router(parameter_routes.router)
    for finance in (entitlement_routes, batch_routes, fund_routes, bank_return_routes, officer_routes,
                    evidence_routes):
        app.include_router(finance.router)
    return app
