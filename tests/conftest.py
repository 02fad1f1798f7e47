import uuid
from collections.abc import Iterator

import pytest

from shared.broker import free_port, start_broker, stop_process
from tests.support import create_pg_database, drop_pg_database


@pytest.fixture(scope="session")
def broker() -> Iterator[str]:
    """One real Kafka-protocol broker (Tansu) for the session; tests isolate by topic prefix."""
    port = free_port()
    proc = start_broker(port)
    yield f"127.0.0.1:{port}"
    stop_process(proc)


@pytest.fixture
def topic_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    name, url = create_pg_database()
    yield url
    drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> Iterator[str]:
    """Both backends: SQLite files (the embedded default) and PostgreSQL (production)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/service.db"
    else:
        name, url = create_pg_database()
        yield url
        drop_pg_database(name)
