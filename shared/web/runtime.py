"""Per-app runtime: the engine, the clock, the session dependency that commits once, and the background workers."""

from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session

from shared import metrics
from shared.consumer import ConsumerSpec, IdempotentConsumer
from shared.db import unit_of_work
from shared.oidc import Verifier, token_verifier
from shared.relay import OutboxRelay
from shared.retention import pruner_for
from shared.settings import ServiceSettings
from shared.stream_control import control_spec
from shared.workers import WorkerSet


def system_clock() -> datetime:
    """Now, aware, in UTC: what a Runtime's clock reads unless a test hands it a fixed one."""
    return datetime.now(UTC)


@dataclass
class Runtime:
    service: str
    settings: ServiceSettings
    engine: Engine
    outbox: Table
    inbox: Table
    consumer_specs: list[ConsumerSpec] = field(default_factory=list)
    relay: OutboxRelay | None = None
    workers: WorkerSet | None = None
    clock: Callable[[], datetime] = system_clock
    verifier: Verifier | None = None  # who a bearer token names (shared.oidc); from the settings unless given
    access_trail: Any = None  # the service's shared.access_trail.AccessTrail: refusals are recorded on it

    def __post_init__(self) -> None:
        if self.verifier is None:
            self.verifier = token_verifier(self.settings)
        # every service serves replays of its outbox and hears the answers to its own requests
        self.consumer_specs = [*self.consumer_specs, control_spec(self.service, self.settings.grants_topic_prefix,
                                                                  self.outbox, self.inbox)]

    def build_workers(self) -> WorkerSet:
        s = self.settings
        self.relay = OutboxRelay(self.engine, self.outbox, s.kafka_bootstrap, s.grants_topic_prefix,
                                 create_topics=s.creates_topics, service=self.service)
        consumers = [IdempotentConsumer(self.engine, self.inbox, spec, s.kafka_bootstrap, s.grants_topic_prefix,
                                        create_topics=s.creates_topics)
                     for spec in self.consumer_specs]
        return WorkerSet([self.relay, *consumers, pruner_for(self.service, s, self.engine, self.outbox, self.inbox)])


def runtime_lifespan(runtime: Runtime, run_workers: bool) -> Callable:
    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        app.state.runtime = runtime
        if run_workers:
            runtime.workers = runtime.build_workers()
            runtime.workers.start()
        try:
            yield
        finally:
            if runtime.workers:
                runtime.workers.stop()
            runtime.engine.dispose()
            metrics.process_exiting()

    return lifespan


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def db_session(request: Request) -> Iterator[Session]:
    """The request's session: services only flush; this commits once (or rolls back) and wakes the relay.

    Use it through DBSession: its function scope runs the commit before the response is sent, so a client
    never sees a 201 for a claim whose commit then failed, nor reads before its own write is visible."""
    runtime: Runtime = request.app.state.runtime
    with unit_of_work(runtime.engine) as session:
        yield session
    if runtime.relay is not None:
        runtime.relay.wake()


DBSession = Annotated[Session, Depends(db_session, scope="function")]
