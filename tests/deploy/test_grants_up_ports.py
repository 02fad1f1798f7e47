"""`grants up` says ready only for processes it started: a port already held by something answering
"ready" (another `grants up`, say) is refused, never reported as its own service."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from shared.broker import free_port


class AlwaysReady(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = json.dumps({"status": "ready", "service": "applications"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
        pass


def test_grants_up_refuses_a_port_another_process_answers_ready_on(tmp_path):
    squatter = ThreadingHTTPServer(("127.0.0.1", 0), AlwaysReady)
    threading.Thread(target=squatter.serve_forever, daemon=True).start()
    port = squatter.server_address[1]
    env = {**os.environ, "GRANTS_ENV": "development", "APPLICATIONS_PORT": str(port),
           "DISBURSEMENT_PORT": str(free_port()), "AUDIT_PORT": str(free_port()), "CONSOLE_PORT": str(free_port()),
           "GRANTS_EMBEDDED_BROKER_PORT": str(free_port()), "PYTHONPATH": str(Path.cwd())}
    env.pop("GRANTS_KAFKA_BOOTSTRAP", None)
    try:
        done = subprocess.run([sys.executable, "-m", "cli.main", "up"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=60)
    finally:
        squatter.shutdown()
    assert done.returncode == 1
    assert not [line for line in done.stdout.splitlines() if "ready" in line]  # no service, nor all of them
    assert f"applications ({port})" in done.stderr
