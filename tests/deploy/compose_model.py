"""docker-compose.yml read as Docker Compose reads it, and laid onto this machine, where Docker does not run.

Interpolation follows the Compose specification (${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
${VAR?error}, $$). Laying a container onto the host changes only what a host cannot give every container:
- every compose service name is a host name: it becomes 127.0.0.1; the Kafka nodes become the suite's broker;
- every container port (published or not) gets a free host port, because these containers share one network
  namespace here (three workers all listen on 8090) and other engineers' processes use this machine's ports;
- every role and database name gets a per-run prefix, because the PostgreSQL server is shared;
- a secret compose mounts at /run/secrets/NAME is read from the host file its top-level `secrets` entry names.
Nothing is added to a container's environment, and nothing in it is left out.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

from shared.broker import free_port

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
_VAR = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


class MissingVariable(ValueError):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    def one(match: re.Match) -> str:
        escaped, name, op, arg, bare = match.groups()
        if escaped:
            return "$"
        name = name or bare
        value = env.get(name)
        unset = value is None or (op is not None and op.startswith(":") and value == "")
        if op in (":-", "-"):
            return arg if unset else value  # type: ignore[return-value]
        if op in (":?", "?") and unset:
            raise MissingVariable(f"{name}: {arg}")
        return value or ""

    return _VAR.sub(one, text)


def load(operator_env: dict[str, str], path: Path = COMPOSE_FILE) -> dict:
    """The compose model with every string interpolated from operator_env (what the operator's shell or
    .env file holds)."""

    def walk(node):  # type: ignore[no-untyped-def]
        if isinstance(node, str):
            return interpolate(node, operator_env)
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(yaml.safe_load(path.read_text()))


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def container_ports(service: dict) -> set[int]:
    """The ports a container listens on: published, exposed, and those its healthcheck probes."""
    ports = {int(str(p).split(":")[-1].split("/")[0]) for p in service.get("ports", [])}
    ports |= {int(p) for p in service.get("expose", [])}
    for part in (service.get("healthcheck") or {}).get("test", []):
        ports |= {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", part)}
    return ports


@dataclass
class HostLayout:
    """Where each compose name and port lives on this host."""

    services: dict[str, dict]
    broker: str
    db_prefix: str
    secret_files: dict[str, str] = field(default_factory=dict)  # compose's top-level secrets: name -> file
    ports: dict[tuple[str, int], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, service in self.services.items():
            for port in container_ports(service):
                self.ports[(name, port)] = free_port()

    def value(self, container: str, key: str, value: str) -> str:
        if value.startswith("postgresql"):
            return self._database_url(value)
        if value.startswith("/run/secrets/"):
            name = value.removeprefix("/run/secrets/")
            assert name in (self.services[container].get("secrets") or []), f"{container} does not mount {name}"
            return self.secret_files[name]
        if key.endswith("_PORT") and value.isdigit() and (container, int(value)) in self.ports:
            return str(self.ports[(container, int(value))])
        if key == "GRANTS_KAFKA_BOOTSTRAP":
            return ",".join(self.broker for _ in value.split(","))
        return re.sub(r"\b([a-z][a-z0-9-]*):(\d+)\b", lambda m: self._address(container, m), value)

    def env(self, container: str) -> dict[str, str]:
        return {k: self.value(container, k, v) for k, v in environment(self.services[container]).items()}

    def healthcheck(self, container: str, grants: str) -> list[str]:
        """The healthcheck's command as this host runs it (CMD form: the image's `grants` is the venv's)."""
        test = self.services[container]["healthcheck"]["test"]
        assert test[0] == "CMD", f"{container}: healthcheck must be CMD form to run without a shell: {test}"
        argv = [grants if part == "grants" else part for part in test[1:]]
        return [re.sub(r"127\.0\.0\.1:(\d+)", lambda m: f"127.0.0.1:{self.ports[(container, int(m[1]))]}", a)
                for a in argv]

    def _address(self, container: str, match: re.Match) -> str:
        host, port = match[1], int(match[2])
        if host == "localhost":
            host = container
        elif host not in self.services:
            return match[0]
        if (host, port) in self.ports:
            return f"127.0.0.1:{self.ports[(host, port)]}"
        return match[0]

    def _database_url(self, value: str) -> str:
        url = make_url(value)
        return url.set(host="127.0.0.1", port=5432, username=self.db_prefix + (url.username or ""),
                       database=self.db_prefix + (url.database or "")).render_as_string(hide_password=False)
