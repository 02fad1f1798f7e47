"""The audit service: consumes payment and batch events into its own store and serves auditors."""

from fastapi import FastAPI

from services.audit import intake
from services.audit.config import Settings, get_settings
from services.audit.db.tables import inbox, outbox
from shared.consumer import ConsumerSpec
from shared.db import make_engine
from shared.logging import configure_logging
from shared.web.app import install_common
from shared.web.runtime import Runtime, runtime_lifespan

SERVICE = "audit"


def consumer_specs(settings: Settings) -> list[ConsumerSpec]:
    return [ConsumerSpec(name="audit.ledger", group_id=f"{settings.grants_topic_prefix}.audit",
                         topic_suffixes=["payments.v1", "batches.v1"], handlers=intake.HANDLERS)]


def create_app(settings: Settings | None = None, *, run_workers: bool | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.grants_env)
    runtime = Runtime(settings=settings, engine=make_engine(settings.audit_database_url),
                      outbox=outbox, inbox=inbox, consumer_specs=consumer_specs(settings))
    workers = settings.grants_run_workers if run_workers is None else run_workers
    app = FastAPI(title="grants audit", version="1.0", lifespan=runtime_lifespan(runtime, workers))
    app.state.runtime = runtime
    install_common(app, service=SERVICE, engine_of=lambda: runtime.engine, bootstrap_of=lambda: settings.kafka_bootstrap)
    return app
