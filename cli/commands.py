"""The small commands of the `grants` CLI: migrate, token, serve, worker, outbox replay."""

import signal
import threading
from datetime import datetime

from shared.db_privileges import app_role_of, grant_app_role
from cli.services import SERVICES, handle
from shared.auth import issue_token
from shared.migrations import schema_is_current, upgrade_service


def migrate_all(quiet: bool = False, services: tuple[str, ...] | list[str] = SERVICES) -> None:
    """Apply each service's migrations as its owner, then grant its app role what the service needs."""
    from shared.db import make_engine

    for name in services:
        app_url, migration_url = handle(name).database_urls()
        upgrade_service(name, migration_url)
        role = app_role_of(app_url, migration_url)
        if role is not None:
            engine = make_engine(migration_url)
            try:
                grant_app_role(engine, role, handle(name).tables().APPEND_ONLY_TABLES)
            finally:
                engine.dispose()
        if not quiet:
            print(f"migrated {name}" + (f" (app role {role} granted)" if role else ""))


def schemas_behind(services: tuple[str, ...] | list[str] = SERVICES) -> list[str]:
    """The services whose database (as the app sees it) is not at its latest migration."""
    return [name for name in services if not schema_is_current(name, handle(name).database_urls()[0])]


def token(role: str, sub: str, name: str | None, ttl: int) -> str:
    """A development token; ValueError in production, where tokens come from the OIDC provider alone."""
    from pydantic_settings import BaseSettings

    from shared.settings import DEV_JWT_SECRET, ServiceSettings

    class Signer(BaseSettings):  # these three alone: production's other settings are not needed to refuse
        model_config = ServiceSettings.model_config
        grants_env: str = "development"
        grants_jwt_secret: str = DEV_JWT_SECRET
        grants_token_max_lifetime_seconds: int = 86400

    signer = Signer()
    if signer.grants_env == "production":
        raise ValueError("development tokens are refused in production; sign in through the OIDC provider")
    return issue_token(signer.grants_jwt_secret, sub=sub, role=role, name=name, ttl_seconds=ttl,
                       max_lifetime=signer.grants_token_max_lifetime_seconds)


def check_topics(name: str, runtime) -> None:  # type: ignore[no-untyped-def]
    """In production, before any worker starts: every topic the service uses must exist (MissingTopics)."""
    from shared.kafka_clients import require_topics

    if not runtime.settings.creates_topics:
        require_topics(runtime.settings.kafka_bootstrap, handle(name).topics(runtime))


def serve(name: str, workers: bool, processes: int = 1) -> None:
    import os

    import uvicorn

    from shared.web.serving import HTTP_PROTOCOL

    service = handle(name)
    settings = service.settings()
    if workers:
        check_topics(name, service.create_app(run_workers=False).state.runtime)
    options = dict(host=settings.grants_bind_host, port=service.port(), log_config=None, access_log=False,
                   timeout_graceful_shutdown=5, http=HTTP_PROTOCOL)
    if processes > 1:
        # Each process builds its own app from the environment (relay: SKIP LOCKED; consumers share the group).
        os.environ["GRANTS_RUN_WORKERS"] = "true" if workers else "false"
        # ...and writes its metrics where /metrics in any of them adds up all (shared.metrics); a fresh
        # directory each start, as prometheus-client requires
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=f"grants-{name}-metrics-")
        uvicorn.run(f"services.{name}.main:create_app", factory=True, workers=processes, **options)
    else:
        uvicorn.run(service.create_app(run_workers=workers), **options)


def serve_console() -> None:
    """The console, one process (its background jobs live in it: services/console/service/jobs.py)."""
    import uvicorn

    from cli.services import console_settings
    from services.console.main import create_app
    from shared.web.serving import HTTP_PROTOCOL

    settings = console_settings()
    uvicorn.run(create_app(settings), host=settings.grants_bind_host, port=settings.console_port, log_config=None,
                access_log=False, timeout_graceful_shutdown=5, http=HTTP_PROTOCOL)


def worker(name: str, part: str = "all") -> None:
    """Run a service's relay and consumers without its API (part: "all", "relay" or "consumers"), with the
    health endpoint its container is probed on (cli.worker_health)."""
    from cli.worker_health import HealthServer, health_app
    from shared import dead_letter_records, heap
    from shared.logging import configure_logging
    from shared.relay import OutboxRelay

    service = handle(name)
    app = service.create_app(run_workers=False)
    runtime = app.state.runtime
    settings = runtime.settings
    configure_logging(settings.grants_env)
    check_topics(name, runtime)
    workers = runtime.build_workers()
    if part != "all":
        workers.workers = [w for w in workers.workers if isinstance(w, OutboxRelay) == (part == "relay")]
    runtime.workers = workers
    dead_letters = service.tables().dead_letters
    health = HealthServer(health_app(name, workers, runtime.engine, settings.kafka_bootstrap,
                                     settings.grants_worker_stale_seconds,
                                     lambda: dead_letter_records.open_count(runtime.engine, dead_letters)),
                          settings.grants_bind_host, settings.grants_worker_health_port)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    heap.settle_after_startup()  # the ledger ingest: 1.15-1.21x in three runs of `python -m bench.run ledger` beside HEAD
    workers.start()
    try:
        health.start()
        done.wait()
    finally:
        health.stop()
        workers.stop()


def probe(url: str, timeout: float = 3.0) -> int:
    """A container healthcheck without curl in the image: 0 when url answers 200, else 1."""
    import httpx

    try:
        return 0 if httpx.get(url, timeout=timeout).status_code == 200 else 1
    except httpx.HTTPError:
        return 1


def replay_outbox(name: str, since: str | None) -> int:
    from shared.relay import replay

    service = handle(name)
    app = service.create_app(run_workers=False)
    return replay(app.state.runtime.engine, service.tables().outbox,
                  datetime.fromisoformat(since) if since else None)
