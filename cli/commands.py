"""The small commands of the `grants` CLI: migrate, token, serve, worker, outbox replay."""

import signal
import threading
from datetime import datetime

from cli.services import SERVICES, handle
from shared.auth import issue_token
from shared.migrations import upgrade_service


def migrate_all(quiet: bool = False) -> None:
    for name in SERVICES:
        upgrade_service(name, handle(name).database_url())
        if not quiet:
            print(f"migrated {name}")


def token(role: str, sub: str, name: str | None, ttl: int) -> str:
    from services.applications.config import Settings

    return issue_token(Settings().grants_jwt_secret, sub=sub, role=role, name=name, ttl_seconds=ttl)


def serve(name: str, workers: bool, processes: int = 1) -> None:
    import os

    import uvicorn

    from shared.web.serving import HTTP_PROTOCOL

    service = handle(name)
    settings = service.settings()
    options = dict(host=settings.grants_bind_host, port=service.port(), log_config=None, access_log=False,
                   timeout_graceful_shutdown=5, http=HTTP_PROTOCOL)
    if processes > 1:
        # Each process builds its own app from the environment (relay: SKIP LOCKED; consumers share the group).
        os.environ["GRANTS_RUN_WORKERS"] = "true" if workers else "false"
        uvicorn.run(f"services.{name}.main:create_app", factory=True, workers=processes, **options)
    else:
        uvicorn.run(service.create_app(run_workers=workers), **options)


def worker(name: str) -> None:
    """Run a service's relay and consumers without HTTP (for deployments that split them)."""
    from shared.logging import configure_logging

    service = handle(name)
    app = service.create_app(run_workers=False)
    configure_logging(service.settings().grants_env)
    workers = app.state.runtime.build_workers()
    app.state.runtime.workers = workers
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    workers.start()
    done.wait()
    workers.stop()


def replay_outbox(name: str, since: str | None) -> int:
    from shared.relay import replay

    service = handle(name)
    app = service.create_app(run_workers=False)
    return replay(app.state.runtime.engine, service.tables().outbox,
                  datetime.fromisoformat(since) if since else None)
