"""deploy/k8s rendered as production renders it, validated offline and cross-checked: every core object is
valid on Kubernetes 1.30 and the newest schema kubernetes-validate has (strict: no unknown field); the
selectors, ports, ConfigMaps and Secrets refer to what exists; the NetworkPolicies let through exactly the
flows of the architecture; the topics are the contract's and each service's Kafka ACLs are what its code
reads and writes."""

import importlib
import re
from pathlib import Path

import kubernetes_validate
import pytest
from sqlalchemy.engine import make_url

from cli.services import CONSOLE, DEAD_LETTER, PUBLISHES, SERVICES, handle
from shared.events import all_topics, topic
from shared.settings import KafkaSecurity
from tests.deploy import k8s_model as k8s

OVERLAY = k8s.K8S / "overlays" / "production"
OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
TOPICS_SH = Path(__file__).resolve().parents[2] / "deploy" / "topics.sh"
CRDS = {"Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "PodMonitor"}
LIBPQ = {"PGPASSWORD", "PGSSLMODE", "PGSSLROOTCERT"}


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return k8s.render(OVERLAY)


@pytest.fixture(scope="module")
def configmaps(objects) -> dict[str, dict]:
    return {c["metadata"]["name"]: c for c in k8s.of_kind(objects, "ConfigMap")}


def _service_of(workload: dict) -> str:
    return workload["metadata"]["labels"]["app.kubernetes.io/name"]


def test_every_core_object_is_valid_on_kubernetes_1_30_and_the_newest(objects):
    core = [o for o in objects if k8s.group(o) in k8s.CORE_GROUPS]
    assert {o["kind"] for o in objects} - {o["kind"] for o in core} == CRDS
    assert len(core) >= 40
    for version in ("1.30.0", kubernetes_validate.latest_version()):
        for obj in core:
            kubernetes_validate.validate(obj, version, strict=True)
    assert {o["metadata"].get("namespace") for o in objects if o["kind"] != "Namespace"} == {"grants"}


def test_each_service_has_its_api_workers_single_relay_and_migration(objects):
    for name in SERVICES:
        api, worker, relay = (k8s.named(objects, "Deployment", f"{name}-{c}") for c in ("api", "worker", "relay"))
        args = {c: k8s.named(objects, "Deployment", f"{name}-{c}")["spec"]["template"]["spec"]["containers"][0]["args"]
                for c in ("api", "worker", "relay")}
        assert args == {"api": ["serve", name, "--no-workers"], "worker": ["worker", name, "--no-relay"],
                        "relay": ["worker", name, "--relay-only"]}
        assert relay["spec"]["replicas"] == 1 and relay["spec"]["strategy"] == {"type": "Recreate"}
        assert worker["spec"]["replicas"] >= 2
        hpa = k8s.named(objects, "HorizontalPodAutoscaler", f"{name}-api")
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{name}-api"}
        assert hpa["spec"]["minReplicas"] >= 2
        job = k8s.named(objects, "Job", f"{name}-migrate")
        assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate", name]
        for workload in (api, worker, relay):
            init = workload["spec"]["template"]["spec"]["initContainers"]
            assert [c["args"] for c in init] == [["migrate", "--check", name]]  # starts once migrated


def test_every_container_has_requests_limits_and_probes(objects):
    for workload, template in k8s.pod_templates(objects):
        for container in k8s.containers(template):
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][bound]), (workload["metadata"]["name"], bound)
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
        if workload["kind"] == "Deployment":
            main = template["spec"]["containers"][0]
            ports = k8s.container_ports(template)
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert main[probe]["httpGet"]["port"] in ports, (workload["metadata"]["name"], probe)
            assert main["readinessProbe"]["httpGet"]["path"] == "/healthz/ready"


def test_selectors_ports_and_disruption_budgets_point_at_real_pods(objects):
    pods = [(w, t) for w, t in k8s.pod_templates(objects) if w["kind"] == "Deployment"]
    for workload, template in pods:
        assert k8s.matches(workload["spec"]["selector"], template["metadata"]["labels"])
        others = [w for w, t in pods if w is not workload and k8s.matches(workload["spec"]["selector"], t["metadata"]["labels"])]
        assert not others, f"{workload['metadata']['name']} selects {others[0]['metadata']['name']}'s pods"
    for service in k8s.of_kind(objects, "Service"):
        targets = [t for _, t in pods if k8s.matches({"matchLabels": service["spec"]["selector"]}, t["metadata"]["labels"])]
        assert len(targets) == 1, service["metadata"]["name"]
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in k8s.container_ports(targets[0])
    for pdb in k8s.of_kind(objects, "PodDisruptionBudget"):
        assert len([t for _, t in pods if k8s.matches(pdb["spec"]["selector"], t["metadata"]["labels"])]) == 1
    applications_url = next(iter(k8s.of_kind(objects, "ConfigMap")))["data"]["APPLICATIONS_URL"]
    service = k8s.named(objects, "Service", "applications-api")
    assert applications_url == f"http://applications-api:{service['spec']['ports'][0]['port']}"


def _settings_fields(name: str) -> set[str]:
    config = importlib.import_module("services.console.config") if name == CONSOLE else handle(name)._config()
    return {f.upper() for f in config.Settings.model_fields}


def test_every_variable_is_a_setting_and_every_config_map_and_secret_exists(objects, configmaps):
    known = set().union(*(_settings_fields(n) for n in SERVICES)) | {f.upper() for f in KafkaSecurity.model_fields} | LIBPQ
    for cm in configmaps.values():
        assert set(cm["data"]) <= known, set(cm["data"]) - known
    operator_made = {u["metadata"]["name"] for u in k8s.of_kind(objects, "KafkaUser")}
    operator_made |= {f"{k['metadata']['name']}-cluster-ca-cert" for k in k8s.of_kind(objects, "Kafka")}
    operator_made |= {f"{c['metadata']['name']}-ca" for c in k8s.of_kind(objects, "Cluster")}
    provided = _provided_secrets()
    for workload, template in k8s.pod_templates(objects):
        service = _service_of(workload)
        mine = _settings_fields(service) | {f.upper() for f in KafkaSecurity.model_fields} | LIBPQ
        for container in k8s.containers(template):
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in configmaps
            for item in container.get("env", []):
                assert item["name"] in mine, (workload["metadata"]["name"], item["name"])
                ref = (item.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    assert ref["name"] in operator_made or ref["key"] in provided.get(ref["name"], ()), ref
        for volume in template["spec"].get("volumes", []):
            if "secret" in volume:
                assert volume["secret"]["secretName"] in operator_made, volume
    for cluster in k8s.of_kind(objects, "Cluster"):
        secrets = [cluster["spec"]["bootstrap"]["initdb"]["secret"]["name"],
                   *(r["passwordSecret"]["name"] for r in cluster["spec"]["managed"]["roles"])]
        for secret in secrets:  # kubernetes.io/basic-auth: username and password
            assert {"username", "password"} <= set(provided.get(secret, ())), secret


def _provided_secrets() -> dict[str, set[str]]:
    """The Secrets an operator creates, from docs/operations.md's table: | `name` | `key`, `key` | ... |"""
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ((?:`[a-z0-9.-]+`(?:, )?)+) \|", OPERATIONS.read_text(), re.M)
    return {name: set(re.findall(r"`([a-z0-9.-]+)`", keys)) for name, keys in rows}


def test_each_pod_logs_in_as_its_own_role_and_only_the_migration_as_the_owner(objects):
    for name in SERVICES:
        cluster = k8s.named(objects, "Cluster", f"{name}-db")
        initdb, (app_role,) = cluster["spec"]["bootstrap"]["initdb"], cluster["spec"]["managed"]["roles"]
        for workload, template in k8s.pod_templates(objects):
            if _service_of(workload) != name:
                continue
            for container in k8s.containers(template):
                values = {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}
                owner = workload["kind"] == "Job"
                url = make_url(values[f"{name.upper()}_MIGRATION_DATABASE_URL" if owner else f"{name.upper()}_DATABASE_URL"])
                assert (url.host, url.database) == (f"{name}-db-rw", initdb["database"])
                assert url.username == (initdb["owner"] if owner else app_role["name"])
                secret = values["PGPASSWORD"]["secretKeyRef"]["name"]
                assert secret == (initdb["secret"]["name"] if owner else app_role["passwordSecret"]["name"])


def test_topics_are_the_contracts_shaped_as_topics_sh_shapes_them(objects, configmaps):
    prefix = configmaps["grants-config"]["data"]["GRANTS_TOPIC_PREFIX"]
    kafka_topics = k8s.of_kind(objects, "KafkaTopic")
    assert sorted(t["spec"]["topicName"] for t in kafka_topics) == sorted(all_topics(prefix))
    script = TOPICS_SH.read_text()
    partitions = int(re.search(r"GRANTS_TOPIC_PARTITIONS:-(\d+)", script)[1])
    replicas = int(re.search(r"REPLICATION_FACTOR=(\d+)", script)[1])
    min_isr = int(re.search(r"MIN_INSYNC_REPLICAS=(\d+)", script)[1])
    assert (partitions, replicas, min_isr) == (12, 3, 2)
    for t in kafka_topics:
        assert (t["spec"]["partitions"], t["spec"]["replicas"], int(t["spec"]["config"]["min.insync.replicas"])) == \
            (partitions, replicas, min_isr)


def test_each_service_may_touch_only_the_topics_its_code_reads_and_writes(objects, configmaps, tmp_path, monkeypatch):
    data = configmaps["grants-config"]["data"]
    prefix = data["GRANTS_TOPIC_PREFIX"]
    (kafka,) = k8s.of_kind(objects, "Kafka")
    listener = next(lst for lst in kafka["spec"]["kafka"]["listeners"] if lst["tls"])
    assert data["GRANTS_KAFKA_BOOTSTRAP"] == f"{kafka['metadata']['name']}-kafka-bootstrap:{listener['port']}"
    assert listener["authentication"]["type"] == "scram-sha-512" and data["GRANTS_KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
    monkeypatch.chdir(tmp_path)  # the apps built below open (development) SQLite files under ./var
    monkeypatch.setenv("GRANTS_TOPIC_PREFIX", prefix)
    for name in SERVICES:
        specs = handle(name).create_app(run_workers=False).state.runtime.consumer_specs
        read = {topic(prefix, s) for spec in specs for s in spec.topic_suffixes}
        written = {topic(prefix, s) for s in (*PUBLISHES[name], DEAD_LETTER)}
        expected = {("topic", t): {"Describe"} | ({"Read"} if t in read else set()) | ({"Write"} if t in written else set())
                    for t in read | written}
        expected |= {("group", spec.group_id): {"Describe", "Read"} for spec in specs}
        expected[("cluster", None)] = {"IdempotentWrite"}
        user = k8s.named(objects, "KafkaUser", f"grants-{name}")
        assert user["metadata"]["labels"]["strimzi.io/cluster"] == kafka["metadata"]["name"]
        granted = {(a["resource"]["type"], a["resource"].get("name")): set(a["operations"])
                   for a in user["spec"]["authorization"]["acls"]}
        assert granted == expected, name
        for workload, template in k8s.pod_templates(objects):
            if _service_of(workload) == name and workload["kind"] == "Deployment":
                values = {e["name"]: e.get("value", e.get("valueFrom")) for e in template["spec"]["containers"][0]["env"]}
                assert values["GRANTS_KAFKA_USERNAME"] == user["metadata"]["name"]
                assert values["GRANTS_KAFKA_PASSWORD"]["secretKeyRef"]["name"] == user["metadata"]["name"]


def test_network_policies_let_through_exactly_the_flows_of_the_architecture(objects):
    policies = k8s.of_kind(objects, "NetworkPolicy")
    (kafka,) = k8s.of_kind(objects, "Kafka")
    sources = {w["metadata"]["name"]: t["metadata"]["labels"] for w, t in k8s.pod_templates(objects)}
    # where a connection can go: each API's port, each database's primary, the brokers
    targets = {f"{w['metadata']['name']}:{port}": (t["metadata"]["labels"], port, k8s.container_ports(t))
               for w, t in k8s.pod_templates(objects) if w["kind"] == "Deployment"
               for port in k8s.container_ports(t).values()}
    targets |= {f"{c['metadata']['name']}:5432": ({"cnpg.io/cluster": c["metadata"]["name"]}, 5432, {})
                for c in k8s.of_kind(objects, "Cluster")}
    targets["kafka:9093"] = ({"strimzi.io/cluster": kafka["metadata"]["name"], "strimzi.io/kind": "Kafka"}, 9093, {})
    flows = {(src, dst) for src, labels in sources.items() for dst, (dlabels, port, ports) in targets.items()
             if k8s.allowed(policies, labels, dlabels, port, ports)}
    expected = {("disbursement-api", "applications-api:8080"), ("disbursement-worker", "applications-api:8080")}
    for name in SERVICES:
        expected.add((CONSOLE, f"{name}-api:8080"))  # the console calls each API, and nothing else
        expected |= {(f"{name}-{c}", t) for c in ("api", "worker", "relay") for t in (f"{name}-db:5432", "kafka:9093")}
        expected.add((f"{name}-migrate", f"{name}-db:5432"))
    assert flows == expected
    peers = kafka["spec"]["kafka"]["listeners"][0]["networkPolicyPeers"]
    kafka_clients = {n for n, labels in sources.items() if any(k8s.matches(p["podSelector"], labels) for p in peers)}
    assert kafka_clients == {f"{n}-{c}" for n in SERVICES for c in ("api", "worker", "relay")}


def test_the_console_runs_alone_without_database_topics_or_pii_key_and_reaches_every_api(objects, configmaps):
    console = k8s.named(objects, "Deployment", CONSOLE)
    assert console["spec"]["replicas"] == 1  # its jobs live in its process
    template = console["spec"]["template"]
    (container,) = template["spec"]["containers"]
    assert container["args"] == ["serve", "console"] and "initContainers" not in template["spec"]
    env = k8s.env(container, configmaps)
    assert env["CONSOLE_PORT"] == str(k8s.container_ports(template)["http"])
    assert env["CONSOLE_SESSION_SECRET"] == {"secretKeyRef": {"name": "grants-console", "key": "session-secret"}}
    for name in SERVICES:
        service = k8s.named(objects, "Service", f"{name}-api")
        assert env[f"{name.upper()}_URL"] == f"http://{name}-api:{service['spec']['ports'][0]['port']}"
    assert not {k for k in env if k.endswith("_DATABASE_URL") or k in ("GRANTS_PII_KEY", "GRANTS_KAFKA_PASSWORD")}
    assert env["GRANTS_ENV"] == "production" and env["GRANTS_OIDC_ISSUER"].startswith("https://")


def test_prometheus_scrapes_metrics_from_every_api_worker_and_relay_pod(objects):
    (monitor,) = k8s.of_kind(objects, "PodMonitor")
    endpoints = {(e["port"], e["path"]) for e in monitor["spec"]["podMetricsEndpoints"]}
    assert endpoints == {("http", "/metrics"), ("health", "/metrics")}
    for workload, template in k8s.pod_templates(objects):
        scraped = k8s.matches(monitor["spec"]["selector"], template["metadata"]["labels"])
        assert scraped == (workload["kind"] == "Deployment"), workload["metadata"]["name"]  # not the migrations
        if scraped:
            assert set(k8s.container_ports(template)) & {"http", "health"}, workload["metadata"]["name"]


def test_the_inboxes_remember_an_event_longer_than_kafka_can_deliver_it(objects):
    """A record lives at most retention.ms + segment.ms (Kafka deletes whole segments); an inbox record pruned
    sooner would let a copy still in the log be applied twice (docs/operations.md "Retention")."""
    script = TOPICS_SH.read_text()
    retention_ms = int(re.search(r"RETENTION_MS=(\d+)", script)[1])
    segment_ms = int(re.search(r"SEGMENT_MS=(\d+)", script)[1])
    assert '"retention.ms=$RETENTION_MS"' in script and '"segment.ms=$SEGMENT_MS"' in script
    for t in k8s.of_kind(objects, "KafkaTopic"):
        assert (int(t["spec"]["config"]["retention.ms"]), int(t["spec"]["config"]["segment.ms"])) == \
            (retention_ms, segment_ms)
    for name in SERVICES:
        settings = handle(name).settings()
        inbox_ms = settings.grants_inbox_retention_hours * 3600 * 1000
        assert inbox_ms > retention_ms + segment_ms
        assert settings.grants_inbox_retention_hours >= settings.grants_outbox_retention_hours
