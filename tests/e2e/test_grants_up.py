"""`grants up` as an operator runs it: everything ready, a claim decided end to end, a clean stop, no orphans."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from shared.broker import free_port
from tests.support import skill_upgrade_body


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.add(child)
            stack.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def system(tmp_path):
    ports = {name: free_port() for name in ("applications", "disbursement", "audit", "console", "broker")}
    env = {**os.environ, "GRANTS_ENV": "development", "GRANTS_EMBEDDED_BROKER_PORT": str(ports["broker"]),
           "APPLICATIONS_PORT": str(ports["applications"]), "DISBURSEMENT_PORT": str(ports["disbursement"]),
           "AUDIT_PORT": str(ports["audit"]), "CONSOLE_PORT": str(ports["console"]),
           "APPLICATIONS_URL": f"http://127.0.0.1:{ports['applications']}",
           "PYTHONPATH": str(Path.cwd())}
    env.pop("GRANTS_KAFKA_BOOTSTRAP", None)
    errors = open(tmp_path / "stderr.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=errors, text=True)
    lines = []
    for line in proc.stdout:  # type: ignore[union-attr]
        lines.append(line)
        if "all services ready" in line or proc.poll() is not None:
            break
    assert "all services ready" in "".join(lines), "".join(lines) + (tmp_path / "stderr.log").read_text()[-3000:]
    yield proc, ports, env, tmp_path
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_grants_up_serves_ready_services_and_decides_a_claim_filed_with_a_cli_token(system):
    proc, ports, env, cwd = system
    for name in ("applications", "disbursement", "audit"):
        assert httpx.get(f"http://127.0.0.1:{ports[name]}/healthz/ready").status_code == 200
    token = subprocess.run([sys.executable, "-m", "cli.main", "token", "--role", "applicant", "--sub", "alice"],
                           cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout.strip()
    apps = httpx.Client(base_url=f"http://127.0.0.1:{ports['applications']}",
                        headers={"Authorization": f"Bearer {token}"})
    filed = apps.post("/v1/claims", json=skill_upgrade_body(901), headers={"Idempotency-Key": str(uuid.uuid4())})
    assert filed.status_code == 201
    claim_id = filed.json()["claim_id"]
    deadline = time.monotonic() + 30
    while True:
        response = apps.get(f"/v1/claims/{claim_id}")
        assert response.status_code == 200, response.text
        claim = response.json()
        if claim["decision"] is not None or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    decision = claim["decision"]
    assert claim["status"] == "eligible"
    assert decision["amount"] == "1500.00" and decision["currency"] == "CNY"
    assert decision["fund"] == "unemployment_insurance" and decision["clause"] == "qingyang-2023 §18"
    assert decision["reasons"] == []  # eligible: nothing stood in the way
    assert decision["computation"] and all(step["clause"] for step in decision["computation"])


def test_sigint_stops_every_child_within_ten_seconds(system):
    proc, *_ = system
    children = _descendants(proc.pid)
    assert len(children) >= 5  # broker, three services and the console
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=15)
    assert time.monotonic() - started < 10
    assert proc.returncode == 0
    assert not [pid for pid in children if _alive(pid)]


def test_ctrl_c_twice_leaves_no_orphan_behind(system):
    proc, *_ = system
    children = _descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=15)
    deadline = time.monotonic() + 5
    while [pid for pid in children if _alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)]


def test_an_embedded_broker_dies_with_the_process_that_started_it(tmp_path):
    script = ("import sys, time\nfrom shared.broker import free_port, start_broker\n"
              "proc = start_broker(free_port())\nprint(proc.pid, flush=True)\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    broker_pid = int(parent.stdout.readline())  # type: ignore[union-attr]
    assert _alive(broker_pid)
    parent.kill()  # SIGKILL: no cleanup code runs in the parent
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(broker_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(broker_pid)
