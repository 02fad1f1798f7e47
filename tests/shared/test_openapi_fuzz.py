"""Schemathesis against each service's OpenAPI document (issue 10 point 5, issue 12's acceptance), on SQLite
and PostgreSQL: a few hundred seeded requests per service, every role, hostile strings and numbers; none
may be a 5xx, a status the document does not list, or a body or Content-Type other than it documents.

Each service holds a little data first (a claim; eligible decisions and an approved batch with its
payments; a ledger with its checkpoint), so that the 200s carry items the response schemas are checked
against, not only empty pages.
"""

import pytest
from fastapi.testclient import TestClient

from shared.migrations import upgrade_service
from tests.shared.openapi_fuzz import FuzzRun, caller_headers, fuzz, undocumented_methods
from tests.support import skill_upgrade_body, token


def _report(service: str, db_url: str, run: FuzzRun) -> None:
    backend = db_url.split(":", 1)[0].split("+")[0]
    statuses = dict(sorted(run.statuses.items()))
    print(f"\nschemathesis {service} on {backend}: {run.requests} requests, statuses {statuses}")
    assert not run.failures, f"{len(run.failures)} failing cases:\n" + "\n".join(run.failures[:10])
    assert run.requests >= 150, "the run was cut short"
    assert any(200 <= status < 300 for status in run.statuses), "no request got through"


def _check(app, service: str, db_url: str) -> None:  # type: ignore[no-untyped-def]
    run = fuzz(app)
    assert not undocumented_methods(app), undocumented_methods(app)
    _report(service, db_url, run)


def test_applications_answers_as_its_openapi_document_says(db_url) -> None:
    from services.applications.main import create_app
    from tests.applications.conftest import applications_settings

    upgrade_service("applications", db_url)
    app = create_app(applications_settings(db_url), run_workers=False)
    with TestClient(app) as client:
        filed = client.post("/v1/claims", json=skill_upgrade_body(1), headers={
            **caller_headers("applicant"), "Idempotency-Key": "fuzz-seed"})
        assert filed.status_code == 201, filed.text
        _check(app, "applications", db_url)


def test_disbursement_answers_as_its_openapi_document_says(db_url) -> None:
    from services.disbursement.main import create_app
    from tests.disbursement.conftest import disbursement_settings
    from tests.disbursement.factories import add_eligible

    upgrade_service("disbursement", db_url)
    app = create_app(disbursement_settings(db_url, applications_url="http://127.0.0.1:1"), run_workers=False)
    with TestClient(app) as client:
        claims = add_eligible(app.state.runtime.engine, 4)
        drafted = client.post("/v1/batches", json={"fund": "unemployment_insurance", "claim_ids": claims[:2]},
                              headers=caller_headers("officer"))
        assert drafted.status_code == 201, drafted.text
        approved = client.post(f"/v1/batches/{drafted.json()['batch_id']}/approve",
                               headers={"Authorization": f"Bearer {token('officer', sub='checker-1')}"})
        assert approved.status_code == 200 and approved.json()["items"][0]["payment_id"], approved.text
        _check(app, "disbursement", db_url)


def test_audit_answers_as_its_openapi_document_says(db_url) -> None:
    from services.audit.main import create_app
    from tests.audit.domain.factories import clean_stream
    from tests.audit.support import audit_settings, feed

    upgrade_service("audit", db_url)
    app = create_app(audit_settings(db_url), run_workers=False)
    stream = clean_stream(12)
    feed(app.state.runtime.engine, stream.issued + stream.batches)
    with TestClient(app) as client:
        signed = client.post("/v1/ledger/checkpoints", headers=caller_headers("auditor"))
        assert signed.status_code == 201, signed.text
        _check(app, "audit", db_url)


@pytest.mark.parametrize("service", ["applications", "disbursement", "audit"])
def test_docs_page_loads_its_assets_from_the_service_itself(service, tmp_path) -> None:
    """/docs works offline: the page names no other host, and every asset it names is served here."""
    import importlib
    import re

    main = importlib.import_module(f"services.{service}.main")
    url = f"sqlite:///{tmp_path}/{service}.db"
    with TestClient(main.create_app(run_workers=False, **_settings(service, url))) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assets = re.findall(r"""(?:src|href)=["']([^"']+)["']|url: ?["']([^"']+)["']""", page.text)
        named = [a or b for a, b in assets]
        assert named and all(name.startswith("/") for name in named), named
        for name in named:
            assert client.get(name).status_code == 200, name
        assert client.get("/redoc").status_code == 404  # ReDoc only comes from a CDN: not served


def _settings(service: str, url: str) -> dict:
    if service == "applications":
        from tests.applications.conftest import applications_settings
        return {"settings": applications_settings(url)}
    if service == "disbursement":
        from tests.disbursement.conftest import disbursement_settings
        return {"settings": disbursement_settings(url)}
    from tests.audit.support import audit_settings
    return {"settings": audit_settings(url)}
