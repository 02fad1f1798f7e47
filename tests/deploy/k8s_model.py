"""The rendered Kubernetes overlay as data: objects by kind, pods of workloads, label selectors, policies."""

import shutil
import subprocess
from pathlib import Path

import yaml

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
CORE_GROUPS = {"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io"}


def render(overlay: Path) -> list[dict]:
    """kubectl kustomize (kubectl comes with this machine's image), or a standalone kustomize."""
    if shutil.which("kubectl"):
        argv = ["kubectl", "kustomize", str(overlay)]
    elif shutil.which("kustomize"):
        argv = ["kustomize", "build", str(overlay)]
    else:
        raise AssertionError("rendering deploy/k8s needs kubectl or kustomize on PATH (docs/operations.md)")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def group(obj: dict) -> str:
    return obj["apiVersion"].rpartition("/")[0]


def of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [o for o in objects if o["kind"] == kind]


def named(objects: list[dict], kind: str, name: str) -> dict:
    found = [o for o in of_kind(objects, kind) if o["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def matches(selector: dict | None, labels: dict) -> bool:
    """A Kubernetes label selector (matchLabels and matchExpressions) against a set of labels."""
    if selector is None:
        return False
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for e in selector.get("matchExpressions") or []:
        key, op, values = e["key"], e["operator"], e.get("values", [])
        if (op == "In" and labels.get(key) not in values) or (op == "NotIn" and labels.get(key) in values) or \
                (op == "Exists" and key not in labels) or (op == "DoesNotExist" and key in labels):
            return False
    return True


def pod_templates(objects: list[dict]) -> list[tuple[dict, dict]]:
    """(workload, its pod template) of every Deployment and Job."""
    return [(o, o["spec"]["template"]) for o in objects if o["kind"] in ("Deployment", "Job")]


def containers(template: dict) -> list[dict]:
    return template["spec"]["containers"] + template["spec"].get("initContainers", [])


def container_ports(template: dict) -> dict[str, int]:
    return {p["name"]: p["containerPort"] for c in template["spec"]["containers"] for p in c.get("ports", [])}


def env(container: dict, configmaps: dict[str, dict]) -> dict[str, dict | str]:
    """A container's environment: its env entries over its envFrom ConfigMaps' data."""
    values: dict[str, dict | str] = {}
    for source in container.get("envFrom", []):
        values.update(configmaps[source["configMapRef"]["name"]]["data"])
    for item in container.get("env", []):
        values[item["name"]] = item.get("value", item.get("valueFrom"))
    return values


def _peer_is(peer: dict, labels: dict) -> bool:
    """A policy peer naming a pod of this namespace (a namespaceSelector or ipBlock names others)."""
    return "podSelector" in peer and "namespaceSelector" not in peer and matches(peer["podSelector"], labels)


def _port_allowed(rule: dict, port: int, named_ports: dict[str, int]) -> bool:
    wanted = rule.get("ports")
    return not wanted or any(named_ports.get(p["port"], p["port"]) == port for p in wanted)


def allowed(policies: list[dict], src: dict, dst: dict, port: int, dst_ports: dict[str, int]) -> bool:
    """Whether NetworkPolicies let a pod labelled src open port on a pod labelled dst (same namespace): the
    egress of src and the ingress of dst must each be unrestricted or allow it."""
    for direction, me, other, key in (("Egress", src, dst, "to"), ("Ingress", dst, src, "from")):
        mine = [p for p in policies if matches(p["spec"]["podSelector"], me) and direction in p["spec"]["policyTypes"]]
        rules = [r for p in mine for r in p["spec"].get(direction.lower(), [])]
        if mine and not any(any(_peer_is(peer, other) for peer in r.get(key, [])) and _port_allowed(r, port, dst_ports)
                            for r in rules):
            return False
    return True
