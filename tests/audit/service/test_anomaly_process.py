"""On PostgreSQL the anomaly worker runs in a process of its own (service.anomaly_process): it judges what
ingest queued, beats in the service's health, is started again if it dies, and never outlives the service."""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from services.audit.main import anomaly_sweep
from services.audit.service.anomaly_process import AnomalySweepProcess
from services.audit.service.anomaly_worker import AnomalySweep
from shared.db import make_engine
from shared.workers import WorkerSet
from tests.audit.domain.factories import issued_event, ref
from tests.audit.support import audit_settings, feed, wait_for
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")
LIMIT = 2  # beneficiaries an account may receive for (the shipped default)


def _findings(client) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get("/v1/anomalies", params={"rule": "account_receives_for_many"}, headers=AUDITOR).json()["items"]


def _crowd_an_account(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    feed(engine, [issued_event(f"{name}{i}", payee_ref=ref(f"acct-{name}")) for i in range(LIMIT + 1)])


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_anomaly_worker_is_a_thread_on_sqlite_and_a_process_on_postgresql(tmp_path, standards, pg_url):
    sqlite = audit_settings(f"sqlite:///{tmp_path}/audit.db")
    assert type(anomaly_sweep(sqlite, make_engine(sqlite.audit_database_url), standards)) is AnomalySweep
    pg = audit_settings(pg_url)
    assert type(anomaly_sweep(pg, make_engine(pg_url), standards)) is AnomalySweepProcess


@pytest.mark.parametrize("audit_url", ["postgres"], indirect=True)
def test_the_process_judges_what_ingest_queued_beats_in_the_health_and_is_started_again_if_killed(
        audit_url, engine, client, standards):
    sweep = anomaly_sweep(audit_settings(audit_url), engine, standards)
    workers = WorkerSet([sweep])
    _crowd_an_account(engine, "a")
    workers.start()
    try:
        wait_for(lambda: len(_findings(client)) == 1, what="the first account's finding", describe=lambda: _findings(client))
        first = sweep.child.pid
        assert first != os.getpid() and _alive(first)
        live, working, [detail] = workers.health(stale_seconds=30)
        assert (live, working, detail["worker"]) == (True, True, "AnomalySweep")

        os.kill(first, signal.SIGKILL)
        wait_for(lambda: sweep.child.pid != first and sweep.child.is_alive(), what="a new anomaly process")
        _crowd_an_account(engine, "b")
        sweep.wake()  # as the consumer does after a batch
        wait_for(lambda: len(_findings(client)) == 2, what="the second account's finding, judged by the new process",
                 describe=lambda: _findings(client))
    finally:
        workers.stop()
    assert not sweep.child.is_alive()  # stopped with the service's other workers


@pytest.mark.parametrize("audit_url", ["postgres"], indirect=True)
def test_the_process_ends_when_the_service_is_killed_without_stopping_it(audit_url, standards):
    service = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import threading
        from services.audit.main import anomaly_sweep
        from services.audit.service.catalog_standards import catalog_standards
        from shared.db import make_engine
        from tests.audit.support import audit_settings, wait_for
        settings = audit_settings({audit_url!r})
        sweep = anomaly_sweep(settings, make_engine(settings.audit_database_url), catalog_standards())
        threading.Thread(target=sweep.run, daemon=True).start()
        wait_for(lambda: sweep.child is not None and sweep.child.pid is not None, what="the anomaly process")
        print(sweep.child.pid, flush=True)
        threading.Event().wait()
        """)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(service.stdout.readline())  # type: ignore[union-attr]
        assert _alive(child)
    finally:
        service.kill()  # SIGKILL: nothing runs in the service to stop its child
        service.wait(10)
    wait_for(lambda: not _alive(child), what="the orphaned anomaly process to end")
