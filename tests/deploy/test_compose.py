"""docker-compose.yml started as an operator would, with Docker replaced by host processes (compose_model
and deployment say how): every grants container runs its own command with exactly the environment compose
gives it, becomes healthy by its own healthcheck in depends_on order, and a claim goes end to end, filed,
decided, batched and approved by two officers, into the audit ledger."""

import signal
import time
import uuid

import httpx
import psycopg
import pytest

from cli.services import CONSOLE, PUBLISHES
from shared.auth import issue_token
from tests.deploy import compose_model
from tests.deploy.deployment import Deployment, api_names, operator_env, worker_names
from tests.support import skill_upgrade_body

pytestmark = [pytest.mark.postgres, pytest.mark.broker]


def test_compose_refuses_to_start_without_the_fund_accounts():
    env = operator_env()
    del env["GRANTS_FUND_ACCOUNTS"]
    with pytest.raises(compose_model.MissingVariable, match="GRANTS_FUND_ACCOUNTS"):
        compose_model.load(env)


def test_every_long_running_grants_container_is_probed_and_waited_for_on_real_readiness():
    services = compose_model.load(operator_env())["services"]
    for name in api_names(services) + worker_names(services):
        test = services[name]["healthcheck"]["test"]
        assert test[:3] == ["CMD", "grants", "probe"] and test[3].endswith("/healthz/ready"), name
        port = int(test[3].split(":")[2].split("/")[0])
        env = compose_model.environment(services[name])
        if name in worker_names(services):
            assert str(port) == env["GRANTS_WORKER_HEALTH_PORT"] and str(port) in services[name]["expose"], name
        else:
            assert str(port) == env[f"{name.upper()}_PORT"], name
    for name, service in services.items():
        for dep, rule in (service.get("depends_on") or {}).items():
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep} healthy, which has no healthcheck"
            else:
                assert rule["condition"] == "service_completed_successfully" and services[dep]["restart"] == "no"


def _wait(check, what: str, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.fixture
def deployment(broker, tmp_path):
    env = operator_env()
    model = compose_model.load(env)
    deployment = Deployment(model["services"], broker, tmp_path,
                            secret_files={name: s["file"] for name, s in (model.get("secrets") or {}).items()})
    deployment.secrets = env
    try:
        yield deployment
    finally:
        deployment.stop()
        deployment.drop_databases()


def test_compose_starts_healthy_and_pays_a_claim_into_the_ledger(deployment):
    deployment.up()
    services = deployment.services
    assert set(deployment.procs) == set(api_names(services) + worker_names(services))
    assert {deployment.state[n] for n in services} == {"healthy", "completed"}

    oidc = deployment.oidc  # Keycloak's stand-in: people sign in there; disbursement gets its own token there

    def client(name: str, port: int, role: str, sub: str) -> httpx.Client:
        token = oidc.mint(sub=sub, roles=["default-roles-grants", "applicant", role])
        return httpx.Client(base_url=deployment.url(name, port), timeout=15,
                            headers={"Authorization": f"Bearer {token}"})

    applicant = client("applications", 8001, "applicant", "citizen-1")
    maker, checker = client("disbursement", 8002, "officer", "officer-li"), client("disbursement", 8002, "officer", "officer-zhao")
    auditor = client("audit", 8003, "auditor", "auditor-chen")

    filed = applicant.post("/v1/claims", json=skill_upgrade_body(4242), headers={"Idempotency-Key": str(uuid.uuid4())})
    assert filed.status_code == 201, filed.text
    claim_id = filed.json()["claim_id"]
    claim = _wait(lambda: (c := applicant.get(f"/v1/claims/{claim_id}").json())["decision"] and c, "the decision")
    assert claim["status"] == "eligible" and claim["decision"]["amount"] == "1500.00"
    fund = claim["decision"]["fund"]

    batch = maker.post("/v1/batches", json={"fund": fund, "claim_ids": [claim_id]})
    assert batch.status_code == 201, batch.text
    batch_id = batch.json()["batch_id"]
    assert maker.post(f"/v1/batches/{batch_id}/approve").status_code == 403  # maker is not checker
    approved = checker.post(f"/v1/batches/{batch_id}/approve")
    assert approved.status_code == 200, approved.text
    payment_id = approved.json()["items"][0]["payment_id"]

    entries = _wait(lambda: auditor.get("/v1/ledger/entries", params={"payment_id": payment_id}).json()["items"],
                    "the payment in the ledger")
    assert {e["fund"] for e in entries} == {fund}
    assert all(sum(float(p["debit"]) for p in e["postings"]) == sum(float(p["credit"]) for p in e["postings"])
               for e in entries)
    assert auditor.get("/v1/ledger/verify").json()["ok"] is True
    _wait(lambda: applicant.get(f"/v1/claims/{claim_id}").json()["status"] == "payment_issued", "payment_issued")
    # the decider read the claim's body with disbursement's own client-credentials token, scope claims:read-body
    assert {(r["client_id"], r["scope"]) for r in oidc.token_requests} == {("grants-disbursement", "claims:read-body")}
    forged = issue_token("any-secret-at-all-0123456789abcdef", sub="citizen-1", role="admin")
    assert httpx.get(deployment.url("applications", 8001) + "/v1/claims",
                     headers={"Authorization": f"Bearer {forged}"}).status_code == 401  # HS256: refused

    for name in worker_names(services):  # the endpoint the worker containers are probed on
        health = httpx.get(deployment.url(name, 8090) + "/healthz/ready").json()
        assert health["status"] == "ready" and health["checks"] == {"database": True, "broker": True}
        assert {w["worker"] for w in health["workers"]} >= {"OutboxRelay"}
        assert all(w["thread_alive"] for w in health["workers"])
        scraped = httpx.get(deployment.url(name, 8090) + "/metrics").text  # what Prometheus scrapes there
        service = name.removesuffix("-worker")
        assert f'grants_worker_up{{service="{service}",worker="OutboxRelay"}} 1.0' in scraped, scraped[-2000:]
        assert f'grants_outbox_published_total{{service="{service}"' in scraped or service == "audit"

    for service, published in PUBLISHES.items():  # what the Kafka ACLs of deploy/k8s are built from
        with psycopg.connect(deployment.database(service)) as conn:
            used = {row[0] for row in conn.execute("SELECT DISTINCT topic_suffix FROM outbox")}
        assert used <= set(published), service

    # the console is up behind the three APIs and sends a person to the realm to sign in (PKCE), having read
    # the provider's discovery document at keycloak:8080
    console = httpx.get(deployment.url(CONSOLE, 8000) + "/signin/oidc", follow_redirects=False)
    assert console.status_code == 302, console.text
    location = console.headers["location"]
    assert location.startswith(f"{oidc.issuer}/protocol/openid-connect/auth?"), location
    assert "code_challenge_method=S256" in location and "client_id=grants-console" in location

    codes = deployment.stop()  # SIGTERM stops each one within the 10 s compose gives (no SIGKILL needed);
    # uvicorn re-raises the SIGTERM once it has shut down, so an API's status is the signal's
    assert codes == {name: 0 if name in worker_names(services) else -signal.SIGTERM for name in codes}, codes


def test_every_grants_container_trusts_the_realms_issuer_and_disbursement_has_its_own_client():
    env = operator_env()
    services = compose_model.load(env)["services"]
    issuer = f"{services['keycloak']['environment']['KC_HOSTNAME']}/realms/grants"
    for name in api_names(services) + worker_names(services):
        mine = compose_model.environment(services[name])
        assert mine["GRANTS_OIDC_ISSUER"] == issuer and "GRANTS_JWT_SECRET" not in mine, name
        if name == CONSOLE:  # signs people in; reads the discovery document over the compose network
            assert mine["CONSOLE_OIDC_METADATA_URL"] == "http://keycloak:8080/realms/grants/.well-known/openid-configuration"
            continue
        assert mine["GRANTS_OIDC_JWKS_URL"].startswith("http://keycloak:8080/realms/grants/"), name
        assert ("GRANTS_OIDC_CLIENT_SECRET" in mine) == name.startswith("disbursement"), name
        if name.startswith("disbursement"):
            assert mine["GRANTS_OIDC_CLIENT_SECRET"] == env["DISBURSEMENT_CLIENT_SECRET"]


def test_the_console_holds_no_database_topic_or_pii_key_and_reaches_the_three_apis():
    env = operator_env()
    services = compose_model.load(env)["services"]
    console = compose_model.environment(services[CONSOLE])
    assert services[CONSOLE]["command"] == ["serve", "console"] and console["CONSOLE_PORT"] == "8000"
    assert console["CONSOLE_SESSION_SECRET"] == env["CONSOLE_SESSION_SECRET"]
    assert not {k for k in console if k.endswith("_DATABASE_URL") or k.startswith("GRANTS_KAFKA")} | \
        ({"GRANTS_PII_KEY", "GRANTS_OIDC_CLIENT_SECRET"} & set(console))
    for name, port in (("applications", 8001), ("disbursement", 8002), ("audit", 8003)):
        assert console[f"{name.upper()}_URL"] == f"http://{name}:{port}"
        assert services[CONSOLE]["depends_on"][name] == {"condition": "service_healthy"}
    del env["CONSOLE_SESSION_SECRET"]
    with pytest.raises(compose_model.MissingVariable, match="CONSOLE_SESSION_SECRET"):
        compose_model.load(env)


def test_the_env_example_lists_every_variable_compose_requires():
    import re

    example = (compose_model.COMPOSE_FILE.parent / "deploy" / "compose.env.example").read_text()
    listed = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert listed == set(operator_env())
