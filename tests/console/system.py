"""The whole system as an operator starts it: `grants up` (broker, migrations, the three services, the console)
on free ports, SQLite under a folder of the test's."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from shared.broker import free_port

NAMES = ("applications", "disbursement", "audit", "console")


@dataclass
class System:
    proc: subprocess.Popen
    ports: dict[str, int]
    lines: list[str]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(2)  # SIGINT, as Ctrl-C
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def grants_up(cwd: Path) -> System:
    ports = {name: free_port() for name in (*NAMES, "broker")}
    env = {**os.environ, "GRANTS_ENV": "development", "GRANTS_EMBEDDED_BROKER_PORT": str(ports["broker"]),
           "PYTHONPATH": str(Path.cwd()), **{f"{n.upper()}_PORT": str(ports[n]) for n in NAMES}}
    for name in ("GRANTS_KAFKA_BOOTSTRAP", "APPLICATIONS_URL", "DISBURSEMENT_URL", "AUDIT_URL"):
        env.pop(name, None)
    errors = open(cwd / "stderr.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=errors, text=True)
    lines = []
    for line in proc.stdout:  # type: ignore[union-attr]
        lines.append(line)
        if "all services ready" in line or proc.poll() is not None:
            break
    if "all services ready" not in "".join(lines):
        proc.kill()
        raise AssertionError("".join(lines) + (cwd / "stderr.log").read_text()[-3000:])
    return System(proc, ports, lines)
