"""Runs the containers of docker-compose.yml as host processes, in the order and on the conditions that
compose would (depends_on), laid out by compose_model.HostLayout."""

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.deploy.compose_model import COMPOSE_FILE, HostLayout
from tests.deploy.compose_model import environment as compose_environment
from tests.deploy.pg_cluster import drop_prefixed, run_init_sql
from tests.oidc_provider import OidcProvider

REPO = COMPOSE_FILE.parent
GRANTS = str(Path(sys.executable).parent / "grants")
# Images this machine cannot run; what stands for each: the suite's broker for Kafka, the local server
# (with deploy/postgres-init.sql applied) for PostgreSQL, and for Keycloak an OIDC provider serving the realm of
# deploy/keycloak (tests/oidc_provider.py) on Keycloak's port, with the client secrets compose gives Keycloak.
PROVIDED = {"postgres", "kafka-1", "kafka-2", "kafka-3", "keycloak"}
FUNDS = ("employment_subsidy", "unemployment_insurance", "rural_revitalization", "east_west_cooperation")


def operator_env() -> dict[str, str]:
    """What an operator puts in .env (deploy/compose.env.example): every secret compose asks for."""
    import json

    names = [m for m in re.findall(r"\$\{([A-Z_]+):\?", COMPOSE_FILE.read_text())]
    env = {name: secrets.token_hex(20) for name in names}
    env["AUDIT_CHECKPOINT_KEY_PATH"] = _checkpoint_key_file()
    env["GRANTS_FUND_ACCOUNTS"] = json.dumps({f: {"name": f"{f} paying account", "bank_name": "Treasury bank",
                                                  "account_number": f"9558800000000{i:06d}"}
                                              for i, f in enumerate(FUNDS, 1)})
    return env


def _checkpoint_key_file() -> str:
    """An Ed25519 key as `grants audit keygen` writes it (PEM, PKCS #8), in a file of the operator's."""
    import tempfile

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    with tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False) as out:
        out.write(pem)
    return out.name


def image_env() -> dict[str, str]:
    """The ENV of the Dockerfile's final stage: the container has it beneath compose's environment."""
    stages = (REPO / "deploy" / "Dockerfile").read_text().split("\nFROM ")
    env: dict[str, str] = {}
    for line in stages[-1].splitlines():
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in line[4:].split())
    return env


def order(services: dict[str, dict]) -> list[str]:
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        assert name not in path, f"depends_on cycle: {path + (name,)}"
        if name not in done:
            for dep in services[name].get("depends_on") or {}:
                visit(dep, path + (name,))
            done.append(name)

    for name in services:
        visit(name)
    return done


class Deployment:
    def __init__(self, services: dict[str, dict], broker: str, workdir: Path,
                 secret_files: dict[str, str] | None = None):
        self.services, self.workdir = services, workdir
        self.layout = HostLayout(services, broker, db_prefix=f"gc{secrets.token_hex(4)}_",
                                 secret_files=secret_files or {})
        self.procs: dict[str, subprocess.Popen] = {}
        self.oidc: OidcProvider | None = None
        self.state: dict[str, str] = {}  # name -> "healthy" | "completed"

    # --- what a container is here ---
    def env(self, name: str) -> dict[str, str]:
        env = {**image_env(), **self.layout.env(name), "PATH": os.environ["PATH"]}
        if env.get("GRANTS_BIND_HOST") == "0.0.0.0":  # a container's own network namespace; here, loopback
            env["GRANTS_BIND_HOST"] = "127.0.0.1"
        return env

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def tail(self, name: str) -> str:
        path = self.log(name)
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def popen(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        cwd = self.workdir / name
        cwd.mkdir(exist_ok=True)
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=open(self.log(name), "ab"),
                                stderr=subprocess.STDOUT, start_new_session=True)

    # --- bringing it up ---
    def up(self) -> None:
        for name in order(self.services):
            self.ready_to_start(name)
            if name in PROVIDED:
                self.provide(name)
            elif self.services[name].get("restart") == "no":
                self.run_to_completion(name)
            else:
                self.start(name)
                self.wait_healthy(name)

    def ready_to_start(self, name: str) -> None:
        for dep, rule in (self.services[name].get("depends_on") or {}).items():
            wanted = {"service_healthy": "healthy", "service_completed_successfully": "completed"}[rule["condition"]]
            assert self.state.get(dep) == wanted, f"{name} needs {dep} {wanted}, it is {self.state.get(dep)}"

    def provide(self, name: str) -> None:
        if name == "postgres":
            run_init_sql(self.layout.env(name), self.layout.db_prefix)
        if name == "keycloak":
            env = compose_environment(self.services[name])
            secrets_of = {f"grants-{s}": env[f"{s.upper()}_CLIENT_SECRET"] for s in ("applications", "disbursement", "audit")}
            self.oidc = OidcProvider(secrets_of, issuer=f"{env['KC_HOSTNAME']}/realms/grants",
                                     port=self.layout.ports[(name, 8080)]).__enter__()
        self.state[name] = "healthy"

    def run_to_completion(self, name: str, timeout: float = 120.0) -> None:
        service = self.services[name]
        env = self.env(name)
        if "entrypoint" in service:  # the topics job: its shell script, with kafka-topics.sh standing in
            standin = self.workdir / "bin"
            standin.mkdir(exist_ok=True)
            script = standin / "kafka-topics.sh"
            script.write_text(f"#!/bin/sh\nexec {sys.executable} {Path(__file__).parent / 'kafka_topics_standin.py'} \"$@\"\n")
            script.chmod(0o755)
            env["PATH"] = f"{standin}:{env['PATH']}"
            argv = [service["entrypoint"][0], str(REPO / service["entrypoint"][1].removeprefix("/"))]
        else:
            argv = [GRANTS, *service["command"]]
        proc = self.popen(name, argv, env)
        code = proc.wait(timeout)
        assert code == 0, f"{name} exited {code}:\n{self.tail(name)}"
        self.state[name] = "completed"

    def start(self, name: str) -> None:
        self.procs[name] = self.popen(name, [GRANTS, *self.services[name]["command"]], self.env(name))

    def wait_healthy(self, name: str) -> None:
        """Run the container's healthcheck until it passes, within the time compose gives it (interval x retries)."""
        check = self.services[name]["healthcheck"]
        budget = _seconds(check.get("interval", "30s")) * int(check.get("retries", 3)) + _seconds(check.get("start_period", "0s"))
        argv = self.layout.healthcheck(name, GRANTS)
        deadline = time.monotonic() + budget
        while True:
            assert self.procs[name].poll() is None, f"{name} exited {self.procs[name].returncode}:\n{self.tail(name)}"
            if subprocess.run(argv, capture_output=True).returncode == 0:
                self.state[name] = "healthy"
                return
            assert time.monotonic() < deadline, f"{name} not healthy within {budget:.0f}s ({argv}):\n{self.tail(name)}"
            time.sleep(0.3)

    def url(self, name: str, port: int) -> str:
        return f"http://127.0.0.1:{self.layout.ports[(name, port)]}"

    # --- taking it down ---
    def stop(self) -> dict[str, int]:
        """SIGTERM every container (as `docker compose down`), SIGKILL after 10 s; returns the exit codes."""
        if self.oidc is not None:
            self.oidc.__exit__()
            self.oidc = None
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = {}
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                codes[name] = proc.wait()
        return codes

    def drop_databases(self) -> None:
        drop_prefixed(self.layout.db_prefix)

    def database(self, service: str) -> str:
        return f"postgresql://postgres@127.0.0.1:5432/{self.layout.db_prefix}{service}"


def _seconds(text: str | int) -> float:
    text = str(text)
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text)
    return sum(float(amount) * units[unit] for amount, unit in parts) if parts else float(text)


def worker_names(services: dict[str, dict]) -> list[str]:
    return [n for n, s in services.items() if n not in PROVIDED and s.get("command", [None])[0] == "worker"]


def api_names(services: dict[str, dict]) -> list[str]:
    return [n for n, s in services.items() if n not in PROVIDED and s.get("command", [None])[0] == "serve"]

