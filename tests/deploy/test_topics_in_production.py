"""In production the services never create topics: a worker whose topics are missing stops at start, naming
each one, and creates none; with them in place (only its own: what its Kafka ACLs let it see) it runs."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewTopic

from shared.broker import free_port

pytestmark = pytest.mark.broker
GRANTS = str(Path(sys.executable).parent / "grants")


def _production_env(broker: str, prefix: str, tmp_path: Path) -> dict[str, str]:
    key = tmp_path / "checkpoint-key.pem"
    subprocess.run([GRANTS, "audit", "keygen", str(key)], check=True, capture_output=True)
    return {"AUDIT_CHECKPOINT_KEY_FILE": str(key), "PATH": os.environ["PATH"], "GRANTS_ENV": "production",
            "GRANTS_KAFKA_BOOTSTRAP": broker, "GRANTS_TOPIC_PREFIX": prefix,
            "GRANTS_OIDC_ISSUER": "https://id.example/realms/grants", "GRANTS_PII_KEY": "p" * 40,
            "AUDIT_DATABASE_URL": f"sqlite:///{tmp_path}/audit.db", "GRANTS_WORKER_HEALTH_PORT": str(free_port())}


def _topics(broker: str) -> set[str]:
    admin = KafkaAdminClient(bootstrap_servers=broker)
    try:
        return set(admin.list_topics())
    finally:
        admin.close()


def test_a_production_worker_without_its_topics_stops_naming_them_and_creates_none(broker, topic_prefix, tmp_path):
    env = _production_env(broker, topic_prefix, tmp_path)
    done = subprocess.run([GRANTS, "worker", "audit"], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    for suffix in ("payments.v1", "batches.v1", "deadletter.v1", "checkpoints.v1"):
        assert f"{topic_prefix}.{suffix}" in done.stderr
    assert "deploy/topics.sh" in done.stderr
    assert not {t for t in _topics(broker) if t.startswith(topic_prefix)}


def test_a_production_worker_with_its_own_topics_only_runs(broker, topic_prefix, tmp_path):
    admin = KafkaAdminClient(bootstrap_servers=broker)
    admin.create_topics([NewTopic(f"{topic_prefix}.{s}", 3, 1) for s in ("payments.v1", "batches.v1", "deadletter.v1",
                                                                      "checkpoints.v1", "control.v1")])
    admin.close()
    env = _production_env(broker, topic_prefix, tmp_path)
    subprocess.run([GRANTS, "migrate", "audit"], env=env, cwd=tmp_path, check=True, capture_output=True)
    proc = subprocess.Popen([GRANTS, "worker", "audit"], env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{env['GRANTS_WORKER_HEALTH_PORT']}/healthz/ready"
        deadline = time.monotonic() + 60
        while subprocess.run([GRANTS, "probe", url]).returncode != 0:
            assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the audit worker never became ready"
            time.sleep(0.2)
        health = httpx.get(url).json()
        assert {w["worker"] for w in health["workers"]} == {"OutboxRelay", "audit.ledger", "audit.stream_control",
                                                            "CheckpointSchedule", "RetentionPruner", "AnomalySweep"}
    finally:
        proc.terminate()
        proc.wait(15)
    assert f"{topic_prefix}.claims.v1" not in _topics(broker)  # audit neither reads nor writes it
