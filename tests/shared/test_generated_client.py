"""A typed client generated from each service's OpenAPI document (openapi-python-client, issue 10 point 4),
and a claim filed through the applications client against the service running under uvicorn."""

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.migrations import upgrade_service
from tests.live_server import serve
from tests.support import skill_upgrade_body, token

SERVICES = ("applications", "disbursement", "audit")


def _app(service: str, url: str):  # type: ignore[no-untyped-def]
    if service == "applications":
        from services.applications.main import create_app
        from tests.applications.conftest import applications_settings
        return create_app(applications_settings(url), run_workers=False)
    if service == "disbursement":
        from services.disbursement.main import create_app
        from tests.disbursement.conftest import disbursement_settings
        return create_app(disbursement_settings(url), run_workers=False)
    from services.audit.main import create_app
    from tests.audit.support import audit_settings
    return create_app(audit_settings(url), run_workers=False)


def generate(document: dict, package: str, where: Path) -> Path:
    """openapi-python-client's package for `document` under where/package (no formatter run: none is needed)."""
    (where / "openapi.json").write_text(json.dumps(document))
    (where / "generator.yaml").write_text("post_hooks: []\n")
    done = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", "openapi.json",
                           "--output-path", package, "--meta", "none", "--config", "generator.yaml"],
                          cwd=where, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return where / package


@pytest.fixture
def importable(tmp_path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n.startswith("grants_") and n.endswith("_client") or ".api." in n
                 and n.startswith("grants_")]:
        sys.modules.pop(name, None)


@pytest.mark.parametrize("service", SERVICES)
def test_each_json_operation_of_the_document_becomes_a_typed_function(service, importable) -> None:
    document = _app(service, f"sqlite:///{importable}/{service}.db").openapi()
    package = generate(document, f"grants_{service}_client", importable)
    generated = {p.stem for p in package.glob("api/*/*.py") if p.stem != "__init__"}
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)), "operation ids name the client's functions: each once"
    json_operations = {op["operationId"] for item in document["paths"].values() for op in item.values()
                       if all(media.endswith("json") for response in op["responses"].values()
                              for media in response.get("content", {}))
                       and all(media.endswith("json") for media in op.get("requestBody", {}).get("content", {}))}
    assert json_operations and json_operations <= generated, json_operations - generated
    models = importlib.import_module(f"grants_{service}_client.models")
    assert hasattr(models, "Problem") and hasattr(models, "FieldError")  # every refusal is typed


def test_a_claim_filed_through_the_generated_client(importable) -> None:
    url = f"sqlite:///{importable}/applications.db"
    upgrade_service("applications", url)
    app = _app("applications", url)
    generate(app.openapi(), "grants_applications_client", importable)
    client_module = importlib.import_module("grants_applications_client")
    models = importlib.import_module("grants_applications_client.models")
    post_claim = importlib.import_module("grants_applications_client.api.claims.post_claim")
    get_claim = importlib.import_module("grants_applications_client.api.claims.get_claim")

    with serve(app) as base:
        client = client_module.AuthenticatedClient(base_url=base, token=token("applicant", "client-user"))
        body = models.SkillUpgradeClaim.from_dict(skill_upgrade_body(7))
        assert isinstance(body.facts, models.SkillUpgradeFacts) and body.facts.level == 4

        filed = post_claim.sync_detailed(client=client, body=body, idempotency_key="generated-client-1")
        assert filed.status_code == 201, filed.content
        assert isinstance(filed.parsed, models.ClaimPublic)
        assert filed.parsed.status == "submitted" and filed.parsed.programme == "skill_upgrade"
        assert filed.parsed.submitted_at.tzinfo is not None

        replay = post_claim.sync_detailed(client=client, body=body, idempotency_key="generated-client-1")
        assert replay.status_code == 200 and replay.parsed.claim_id == filed.parsed.claim_id

        read = get_claim.sync(client=client, claim_id=filed.parsed.claim_id)
        assert isinstance(read, models.ClaimPublic) and read.history[0].status == "submitted"

        wrong = skill_upgrade_body(8)
        wrong["facts"]["level"] = 9
        refused = post_claim.sync_detailed(client=client, body=models.SkillUpgradeClaim.from_dict(wrong),
                                           idempotency_key="generated-client-2")
        assert refused.status_code == 422
        assert isinstance(refused.parsed, models.Problem)
        assert [e.field for e in refused.parsed.errors] == ["facts.level"]
