"""A broker of the test's own that it can restart on the same port (the session's broker stays up for others)."""

from collections.abc import Iterator

import pytest

from shared.broker import free_port, port_open, start_broker, stop_process
from tests.audit.conftest import standards  # noqa: F401 - fixtures these tests share with the services'
from tests.disbursement.conftest import app_with, finance_url  # noqa: F401
from tests.faults.conditions import wait_for
from tests.support import create_pg_database, drop_pg_database


class RestartableBroker:
    """Tansu on a fixed port, in memory: a restart loses every topic, record and committed offset."""

    def __init__(self) -> None:
        self.port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.proc = start_broker(self.port)

    def stop(self) -> None:
        stop_process(self.proc)
        wait_for(lambda: not port_open(self.port), timeout=10, what="the broker's port to close")

    def start(self) -> None:
        self.proc = start_broker(self.port)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def restartable_broker() -> Iterator[RestartableBroker]:
    broker = RestartableBroker()
    yield broker
    stop_process(broker.proc)


@pytest.fixture
def quick_stream_checks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Consumers look for lost stretches every half second (shared.gap_detection.StreamSettings)."""
    monkeypatch.setenv("GRANTS_STREAM_CHECK_SECONDS", "0.5")
    monkeypatch.setenv("GRANTS_STREAM_GAP_GRACE_SECONDS", "1")
    monkeypatch.setenv("GRANTS_STREAM_REREQUEST_SECONDS", "3")


@pytest.fixture
def applications_pg() -> Iterator[str]:
    """A PostgreSQL database of the applications service's own (app_with's is disbursement's)."""
    name, url = create_pg_database()
    yield url
    drop_pg_database(name)
