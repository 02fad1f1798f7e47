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


# --- make test spreads the files over pytest-xdist workers in collection order: the long ones go first, so
# that the short ones fill the gaps around them instead of three long files ending the run one after another.
LONG_FIRST = ("tests/faults/test_replicas.py", "tests/faults/", "tests/streams/",
              "tests/audit/messaging/test_crash_ingest.py", "tests/deploy/test_compose.py",
              "tests/audit/test_log_proofs_api.py", "tests/console/test_browser",
              "tests/shared/test_openapi_fuzz.py", "tests/shared/test_loop_metrics.py", "tests/e2e/test_grants_up.py",
              "tests/disbursement/api/test_large_batch.py", "tests/shared/test_messaging.py", "tests/e2e/")


def pytest_collection_modifyitems(session, config, items) -> None:  # type: ignore[no-untyped-def]
    def rank(item) -> int:  # type: ignore[no-untyped-def]
        path = item.nodeid.split("::", 1)[0]
        return next((i for i, prefix in enumerate(LONG_FIRST) if path.startswith(prefix)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: a file's tests keep their order


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
        self.leak_count = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # noqa: BLE001 - a record that cannot be formatted cannot leak either
            return
        self.lines += 1
        if _RAW_PII.search(line):
            self.leak_count += 1
            if len(self.leaks) < 5:
                self.leaks.append(line[:500])


_capture = _LogCapture()


def pytest_configure(config) -> None:  # type: ignore[no-untyped-def]
    logging.getLogger().addHandler(_capture)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # type: ignore[no-untyped-def]
    """Under pytest-xdist (make test) each worker captured its own tests' lines: the controller judges them all."""
    output = getattr(node, "workeroutput", {})
    _capture.lines += output.get("log_lines", 0)
    _capture.leak_count += output.get("log_leak_count", 0)
    _capture.leaks += output.get("log_leaks", [])


def pytest_sessionfinish(session, exitstatus) -> None:  # type: ignore[no-untyped-def]
    worker = getattr(session.config, "workeroutput", None)
    if worker is not None:  # an xdist worker: the controller reports (pytest_testnodedown)
        worker.update(log_lines=_capture.lines, log_leak_count=_capture.leak_count, log_leaks=_capture.leaks)
        return
    if _capture.leak_count:
        print(f"\nLOG LEAK: {_capture.leak_count} of {_capture.lines} log lines carry a raw identifier or account:")
        for line in _capture.leaks[:5]:
            print("  ", line)
        session.exitstatus = 1
    else:
        print(f"\nlog capture: {_capture.lines} log lines checked, no raw resident id or account number")
