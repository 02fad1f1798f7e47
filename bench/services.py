"""Infrastructure for benchmarks: a broker and PostgreSQL databases, migrated or empty (processes: bench.procs)."""

import atexit
from collections.abc import Callable, Hashable, Iterator
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


_templates: dict[Hashable, str] = {}


def template_database(key: Hashable, build: Callable[[str], None]) -> str:
    """The name of a database `build(url)` migrated and loaded, made once per key in this bench process (dropped
    when it exits): loading once and copying per run (copy_of) keeps the runs apart and the load out of them."""
    if key not in _templates:
        name, url = create_pg_database()
        try:
            build(url)
        except BaseException:
            drop_pg_database(name)
            raise
        atexit.register(drop_pg_database, name)
        _templates[key] = name
    return _templates[key]


@contextmanager
def copy_of(template: str) -> Iterator[str]:
    """A fresh copy of a template database (CREATE DATABASE … TEMPLATE), its URL; dropped on exit."""
    name, url = create_pg_database(template)
    try:
        yield url
    finally:
        drop_pg_database(name)
