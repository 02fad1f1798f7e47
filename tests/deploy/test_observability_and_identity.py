"""The dashboard and the alert rules use only the metrics docs/operations.md specifies, with their labels;
the Keycloak realm has the roles, a client-credentials client per service, the console's PKCE client, and
no secret in the file."""

import json
import re
from pathlib import Path

import yaml

from cli.services import SERVICES
from shared.auth import CLAIMS_READ_BODY, PAYMENTS_READ_EVIDENCE

REPO = Path(__file__).resolve().parents[2]
OBSERVABILITY = REPO / "deploy" / "observability"
PROMQL_WORDS = {"sum", "max", "min", "by", "rate", "increase", "delta", "histogram_quantile", "and", "on", "or",
                "le", "humanizeDuration", "humanizePercentage", "value", "labels"}


def _specified() -> dict[str, set[str]]:
    """metric -> labels, from the table in docs/operations.md ("Metrics")."""
    table = (REPO / "docs" / "operations.md").read_text().split("## Metrics")[1].split("\n## ")[0]
    rows = re.findall(r"^\| `(grants_[a-z_]+)` \| (counter|gauge|histogram) \| ([^|]*) \|", table, re.M)
    spec = {}
    for name, kind, labels in rows:
        labels = set(re.findall(r"`([a-z_]+)`", labels))
        spec[name] = labels
        if kind == "histogram":
            spec[f"{name}_bucket"] = labels | {"le"}
    return spec


def _uses(expr: str) -> list[tuple[str, set[str]]]:
    """(metric, the labels the expression groups or filters it by) for each metric in a PromQL expression."""
    grouped = set(re.findall(r"by \(([^)]*)\)", expr))
    labels = {label.strip() for g in grouped for label in g.split(",")}
    out = []
    for metric, selector in re.findall(r"(grants_[a-z_]+)(\{[^}]*\})?", expr):
        out.append((metric, labels | set(re.findall(r"([a-z_]+)=~?", selector or ""))))
    return out


def _check(expr: str, spec: dict[str, set[str]], where: str) -> None:
    uses = _uses(expr)
    assert uses, f"{where}: no grants metric in {expr}"
    for metric, labels in uses:
        assert metric in spec, f"{where}: {metric} is not specified in docs/operations.md"
    allowed = set().union(*(spec[m] for m, _ in uses))
    assert set().union(*(labels for _, labels in uses)) <= allowed, f"{where}: {expr}"


def test_every_alert_uses_specified_metrics_and_says_what_to_do():
    spec = _specified()
    rules = [r for g in yaml.safe_load((OBSERVABILITY / "alerts.yaml").read_text())["groups"] for r in g["rules"]]
    names = {r["alert"] for r in rules}
    assert {"GrantsOutboxStuck", "GrantsConsumerLagHigh", "GrantsEventsDeadLettered",
            "GrantsLedgerVerificationFailed", "GrantsLedgerCheckpointStale"} <= names
    for rule in rules:
        _check(rule["expr"], spec, rule["alert"])
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]


def test_every_dashboard_panel_queries_specified_metrics():
    spec = _specified()
    dashboard = json.loads((OBSERVABILITY / "grafana-dashboard.json").read_text())
    exprs = [(p["title"], t["expr"]) for p in dashboard["panels"] for t in p["targets"]]
    for title, expr in exprs:
        _check(expr.replace('service=~"$service"', 'service=""'), spec, title)
    shown = {m.removesuffix("_bucket") for _, e in exprs for m, _ in _uses(e)}
    assert shown == {m for m in spec if not m.endswith("_bucket")} - {"grants_outbox_published_total"}


# the service scopes each service's client may ask for: disbursement reads claim bodies, the audit payments' evidence
OPTIONAL_SCOPES = {"disbursement": [CLAIMS_READ_BODY], "audit": [PAYMENTS_READ_EVIDENCE]}


def test_the_realm_has_our_roles_a_machine_client_per_service_and_a_pkce_console():
    realm = json.loads((REPO / "deploy" / "keycloak" / "grants-realm.json").read_text())
    assert {r["name"] for r in realm["roles"]["realm"]} == {"applicant", "officer", "auditor", "admin"}
    clients = {c["clientId"]: c for c in realm["clients"]}
    assert set(clients) == {f"grants-{n}" for n in SERVICES} | {"grants-console"}
    for name in SERVICES:
        client = clients[f"grants-{name}"]
        assert client["serviceAccountsEnabled"] and not client["publicClient"]
        assert not (client["standardFlowEnabled"] or client["implicitFlowEnabled"] or client["directAccessGrantsEnabled"])
        assert re.fullmatch(r"\$\{[A-Z_]+\}", client["secret"])  # from the environment, never in the file
        assert client["optionalClientScopes"] == OPTIONAL_SCOPES.get(name, [])
    console = clients["grants-console"]
    assert console["publicClient"] and console["standardFlowEnabled"] and not console["serviceAccountsEnabled"]
    assert not (console["implicitFlowEnabled"] or console["directAccessGrantsEnabled"])
    assert console["attributes"]["pkce.code.challenge.method"] == "S256"
    scopes = {s["name"]: s for s in realm["clientScopes"]}
    for scope, audience in ((CLAIMS_READ_BODY, "grants-applications"), (PAYMENTS_READ_EVIDENCE, "grants-disbursement")):
        (mapper,) = scopes[scope]["protocolMappers"]  # the scope makes the token one the callee accepts
        assert (mapper["protocolMapper"], mapper["config"]["included.client.audience"]) == ("oidc-audience-mapper", audience)
        assert scopes[scope]["attributes"]["include.in.token.scope"] == "true"
    compose = (REPO / "docker-compose.yml").read_text()
    assert "./deploy/keycloak:/opt/keycloak/data/import:ro" in compose
    for placeholder in re.findall(r"\$\{([A-Z_]+)\}", json.dumps(realm)):
        assert f"      {placeholder}: " in compose, f"compose does not give Keycloak {placeholder}"
