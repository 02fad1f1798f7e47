"""`make demo`: start the whole system on the embedded defaults, walk a scenario through it, stop, exit 0."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from cli.services import console_settings, handle
from demo import scenario
from demo.audit_summary import show_audit
from demo.officer_steps import run_reevaluation
from demo.payment_trail import show_payment_trail
from demo.payments import run_payments
from shared.auth import issue_token
from shared.settings import DEV_JWT_SECRET

DEMO_VAR = Path("var/demo")
SHOWN_STEPS = ("months claimed", "months within", "prorated by months", "condition ratio_at_most")


def base_url(service: str) -> str:
    """Where `grants up` serves it: the port configured (APPLICATIONS_PORT, ...), as `grants up` reads it."""
    return f"http://127.0.0.1:{handle(service).port()}"


def start_system() -> subprocess.Popen:
    shutil.rmtree(DEMO_VAR, ignore_errors=True)
    DEMO_VAR.mkdir(parents=True)
    env = {**os.environ, "GRANTS_ENV": "development"}
    for service in ("applications", "disbursement", "audit"):
        env[f"{service.upper()}_DATABASE_URL"] = f"sqlite:///{DEMO_VAR}/{service}.db"
    env.pop("GRANTS_KAFKA_BOOTSTRAP", None)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "up"], env=env, stdout=subprocess.PIPE,
                            stderr=open(DEMO_VAR / "services.log", "w"), text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        print("  " + line.rstrip())
        if "all services ready" in line:
            return proc
    raise SystemExit(f"grants up failed to start; see {DEMO_VAR}/services.log")


def stop_system(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=20)
        for line in (out or "").splitlines():
            print("  " + line)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise SystemExit("grants up did not stop within 20 s")


def wait_decided(client: httpx.Client, claim_ids: list[str], timeout: float = 60.0) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    seen: dict[str, dict] = {}
    while time.monotonic() < deadline and len(seen) < len(claim_ids):
        for cid in claim_ids:
            if cid not in seen:
                claim = client.get(f"/v1/claims/{cid}").json()
                if claim["decision"] is not None:
                    seen[cid] = claim
        time.sleep(0.2)
    return seen


def show_decisions(filed: list[tuple[str, str]], decided: dict[str, dict]) -> int:
    print("\nDecisions")
    missing = 0
    for label, cid in filed:
        claim = decided.get(cid)
        if claim is None:
            print(f"  {label:<50} NOT DECIDED in time")
            missing += 1
            continue
        d = claim["decision"]
        line = f"  {label:<50} {d['outcome']:<9} {d['amount']:>9} {d['currency']}  {d.get('fund') or '-':<24} {d.get('clause') or '-'}"
        print(line)
        if d["outcome"] == "rejected":
            for reason in d["reasons"]:
                print(f"  {'':<50}   {reason['code']}: {reason['message']} [{reason['clause']}]")
        for step in d["computation"]:  # how months were counted and layoff rates computed
            if step["step"].startswith(SHOWN_STEPS) or step["step"].endswith("no_month_twice"):
                print(f"  {'':<50}   {step['step']}: {step['value']} [{step['clause']}]")
    return missing


def _client(base: str, role: str, sub: str) -> httpx.Client:
    token = issue_token(DEV_JWT_SECRET, sub=sub, role=role)
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def main() -> int:
    print("grants demo: starting the system (SQLite under var/demo, embedded broker)")
    proc = start_system()
    try:
        token = issue_token(DEV_JWT_SECRET, sub="demo-applicant", role="applicant", name="演示用户")
        client = httpx.Client(base_url=base_url("applications"), headers={"Authorization": f"Bearer {token}"}, timeout=10)
        filed, decided = [], {}
        print("\nFiling claims (each after the previous one is decided, so caps apply in filing order)")
        for label, body in scenario.claims():
            r = client.post("/v1/claims", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
            r.raise_for_status()
            claim_id = r.json()["claim_id"]
            filed.append((label, claim_id))
            decided.update(wait_decided(client, [claim_id], timeout=30))
            print(f"  {label:<50} {r.status_code} {r.json()['status']} -> {decided.get(claim_id, {}).get('status', 'undecided')}")
        missing = show_decisions(filed, decided)
        disbursement = base_url("disbursement")
        officer_a, officer_b, auditor = (_client(disbursement, "officer", "officer-li"),
                                         _client(disbursement, "officer", "officer-zhao"),
                                         _client(base_url("audit"), "auditor", "auditor-chen"))
        paid = run_payments(officer_a, officer_b, client, [cid for _, cid in filed])
        run_reevaluation(officer_b, client)
        show_audit(auditor, expected_entries=2 * paid)
        show_payment_trail(auditor, _client(base_url("audit"), "admin", "admin-wang"), client)
    finally:
        print("\nStopping")
        stop_system(proc)
    print(f"\nConsole: http://127.0.0.1:{console_settings().console_port} (`.venv/bin/grants up` serves it with "
          "the services; in development, sign in with a role and a name)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
