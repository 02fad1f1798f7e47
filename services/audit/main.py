"""The audit service: consumes payment and batch events into its ledger and serves auditors.

The top room: create_app builds the app over api/ and the ledger consumer over messaging/, both calling
service/, which calls db/ and domain/; nothing runs back up (the package docstring walks the rooms).
"""

from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from services.audit.service.anomaly_process import AnomalySweepProcess
from services.audit.service.anomaly_worker import AnomalySweep
from services.audit.api.routes import routers
from services.audit.config import Settings, get_settings
from shared.db import make_engine
from services.audit.db.access_log import trail
from services.audit.db.evidence_source import EvidenceSource
from services.audit.db.tables import inbox, outbox
from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.anomalies.standards import Standards
from services.audit.messaging.consumer import AuditConsumer
from services.audit.messaging.spec import CONSUMER, ledger_consumer_spec
from services.audit.service.anomaly_intake import AnomalyIntake
from services.audit.service.checkpoint_schedule import CheckpointSchedule
from services.audit.service.signing_key import load_signer
from services.audit.service.catalog_standards import catalog_standards
from shared import tracing
from shared.auth import PAYMENTS_READ_EVIDENCE
from shared.consumer import ConsumerSpec, IdempotentConsumer
from shared.service_identity import service_auth
from shared.logging import configure_logging
from shared.money import parse_fen
from shared.web.app import install_common
from shared.web.runtime import Runtime, runtime_lifespan
from shared.workers import WorkerSet

SERVICE = "audit"
__all__ = ["CONSUMER", "create_app", "ledger_consumer_spec"]


@dataclass
class AuditRuntime(Runtime):
    """The shared runtime, with the audit consumer in place of the plain idempotent one, and the checkpoint signer."""

    checkpoint_schedule: CheckpointSchedule | None = None
    anomaly_sweep: AnomalySweep | AnomalySweepProcess | None = None

    def build_workers(self) -> WorkerSet:
        workers = super().build_workers()
        workers.workers = [AuditConsumer(w.engine, w.inbox, w.spec, w.bootstrap, w.prefix,
                                         create_topics=w.create_topics)
                           if isinstance(w, IdempotentConsumer) and w.spec.name == CONSUMER else w
                           for w in workers.workers]
        workers.workers += [w for w in (self.checkpoint_schedule, self.anomaly_sweep) if w is not None]
        return workers


def rule_parameters(settings: Settings) -> RuleParameters:
    return RuleParameters(dual_approval_threshold_fen=parse_fen(settings.grants_dual_approval_threshold),
                          payee_account_max_beneficiaries=settings.audit_payee_account_max_beneficiaries)


@dataclass
class AfterBatch:
    """What the consumer does after each committed batch: wake the anomaly and checkpoint workers (both judge in
    their own thread or process, so the consumer goes back to polling at once)."""

    sweep: AnomalySweep | AnomalySweepProcess
    schedule: CheckpointSchedule

    def __call__(self) -> None:
        self.sweep.wake()
        self.schedule.wake()


def anomaly_sweep(settings: Settings, engine: Engine, standards: Standards) -> AnomalySweep | AnomalySweepProcess:
    """The anomaly worker: a process of its own on PostgreSQL (service.anomaly_process), a thread on SQLite."""
    params, every = rule_parameters(settings), settings.audit_anomaly_sweep_seconds
    if engine.dialect.name == "postgresql":
        return AnomalySweepProcess(settings.audit_database_url, standards, params, every, env=settings.grants_env)
    return AnomalySweep(engine, standards, params, every)


def consumer_specs(settings: Settings, standards: Standards, sweep: AnomalySweep | AnomalySweepProcess,
                   schedule: CheckpointSchedule) -> list[ConsumerSpec]:
    intake = AnomalyIntake(standards, rule_parameters(settings))
    return [ledger_consumer_spec(settings, AfterBatch(sweep, schedule), intake)]


def evidence_source(settings: Settings) -> EvidenceSource:
    """Disbursement's evidence of a payment, read with the audit's own token (no credentials: the trail says
    that part is missing, rather than the service refusing to start)."""
    try:
        auth = service_auth(settings, PAYMENTS_READ_EVIDENCE)
    except ValueError:
        auth = None
    source = EvidenceSource(settings.disbursement_url, auth)
    if source.client is not None:
        tracing.instrument_http_client(source.client, SERVICE)
    return source


def create_app(settings: Settings | None = None, *, run_workers: bool | None = None,
               standards: Standards | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.grants_env)
    standards = standards or catalog_standards()
    engine = make_engine(settings.audit_database_url)
    signer = load_signer(settings)
    schedule = CheckpointSchedule(engine, signer, settings.audit_checkpoint_every_entries,
                                  settings.audit_checkpoint_every_seconds)
    sweep = anomaly_sweep(settings, engine, standards)
    runtime = AuditRuntime(service=SERVICE, settings=settings, engine=engine, outbox=outbox, inbox=inbox,
                           consumer_specs=consumer_specs(settings, standards, sweep, schedule),
                           checkpoint_schedule=schedule, anomaly_sweep=sweep, access_trail=trail)
    workers = settings.grants_run_workers if run_workers is None else run_workers
    app = FastAPI(title="grants audit", version="1.0", lifespan=runtime_lifespan(runtime, workers))
    app.state.runtime = runtime
    app.state.standards = standards
    app.state.rule_parameters = rule_parameters(settings)
    app.state.signer = signer
    app.state.evidence_source = evidence_source(settings)  # a payment's trail reads disbursement's evidence
    install_common(app, service=SERVICE, engine_of=lambda: runtime.engine,
                   bootstrap_of=lambda: settings.kafka_bootstrap)
    for router in routers:
        app.include_router(router)
    return app
