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


# --- A log capture over the whole run: no raw resident id or account number may appear in any line. ---
import logging  # noqa: E402
import re  # noqa: E402

from shared.logging import make_formatter  # noqa: E402

# Resident ids, and long digit runs (accounts) that are not the last group of a UUID (an event or claim id).
_RAW_PII = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[\dX]|(?<![0-9a-fA-F]{4}-)\d{12,19})(?![0-9A-Za-z])")


class _LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(make_formatter("test"))
        self.lines = 0
        self.leaks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - a record that cannot be formatted cannot leak either
            return
        self.lines += 1
        if _RAW_PII.search(line):
            self.leaks.append(line[:500])


_capture = _LogCapture()


def pytest_configure(config) -> None:  # type: ignore[no-untyped-def]
    logging.getLogger().addHandler(_capture)


def pytest_sessionfinish(session, exitstatus) -> None:  # type: ignore[no-untyped-def]
    if _capture.leaks:
        print(f"\nLOG LEAK: {len(_capture.leaks)} of {_capture.lines} log lines carry a raw identifier or account:")
        for line in _capture.leaks[:5]:
            print("  ", line)
        session.exitstatus = 1
    else:
        print(f"\nlog capture: {_capture.lines} log lines checked, no raw resident id or account number")
