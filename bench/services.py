"""Infrastructure for benchmarks: a broker and PostgreSQL databases, migrated or empty (processes: bench.procs)."""

from collections.abc import Iterator
from contextlib import contextmanager

from shared.broker import free_port, start_broker, stop_process
from shared.migrations import upgrade_service
from tests.support import create_pg_database, drop_pg_database


@contextmanager
def databases(*services: str) -> Iterator[dict[str, str]]:
    created = {name: create_pg_database() for name in services}
    try:
        for name, (_, url) in created.items():
            upgrade_service(name, url)
        yield {name: url for name, (_, url) in created.items()}
    finally:
        for db_name, _ in created.values():
            drop_pg_database(db_name)


@contextmanager
def broker() -> Iterator[str]:
    port = free_port()
    proc = start_broker(port)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(proc)


@contextmanager
def scratch_database() -> Iterator[str]:
    """An empty PostgreSQL database (no service's schema), dropped on exit: for the references."""
    name, url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(name)
