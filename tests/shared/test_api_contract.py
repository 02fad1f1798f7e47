"""What the fuzz runs found, one behaviour each (issue 10 point 4, issue 12 point 9): the document describes
the problem documents actually sent and the claim body per programme, a 405 names every method of its path,
and a stored decision is answered as stored. (NUL, role before body and SQLite offsets: tests/hostile.)"""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shared.migrations import upgrade_service
from tests.support import auth, skill_upgrade_body


@pytest.fixture
def applications(db_url) -> Iterator[TestClient]:
    from services.applications.main import create_app
    from tests.applications.conftest import applications_settings

    upgrade_service("applications", db_url)
    with TestClient(create_app(applications_settings(db_url), run_workers=False)) as client:
        yield client


def test_a_422_is_documented_as_the_problem_document_it_is(applications) -> None:
    document = applications.get("/openapi.json").json()
    documented = document["paths"]["/v1/claims"]["post"]["responses"]["422"]["content"]
    assert documented == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    sent = applications.post("/v1/claims", json={}, headers={**auth(), "Idempotency-Key": "k"})
    assert sent.status_code == 422 and sent.headers["content-type"] == "application/problem+json"
    assert set(sent.json()) <= set(document["components"]["schemas"]["Problem"]["properties"])
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_the_claim_body_is_documented_per_programme_and_the_key_as_required(applications) -> None:
    operation = applications.get("/openapi.json").json()["paths"]["/v1/claims"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "programme"
    assert schema["discriminator"]["mapping"]["skill_upgrade"] == "#/components/schemas/SkillUpgradeClaim"
    assert {"name": "Idempotency-Key", "in": "header", "required": True}.items() <= operation["parameters"][0].items()
    assert operation["security"] == [{"bearerAuth": []}]


def test_a_405_names_every_method_its_path_takes(applications) -> None:
    refused = applications.delete("/v1/claims", headers=auth())
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, POST"  # two routes: Starlette named only the first's
    assert refused.headers["content-type"] == "application/problem+json"


def test_a_stored_decision_is_answered_as_stored(applications) -> None:
    """The typed decision model neither drops a member it does not name nor adds the ones a decision lacks."""
    from sqlalchemy import text

    filed = applications.post("/v1/claims", json=skill_upgrade_body(5), headers={**auth(), "Idempotency-Key": "d"})
    decision = {"outcome": "rejected", "amount": "0.00", "currency": "CNY", "fund": None, "policy_id": None,
                "clause": None, "reasons": [{"code": "PROGRAMME_NOT_OFFERED", "message": "no", "clause": "x §1"}],
                "computation": [], "decided_at": "2026-12-02T08:00:00+08:00", "a_member_added_later": {"k": 1}}
    engine = applications.app.state.runtime.engine
    with engine.begin() as conn:
        conn.execute(text("UPDATE claims SET decision = :d, status = 'rejected' WHERE claim_id = :c"),
                     {"d": json.dumps(decision), "c": filed.json()["claim_id"]})
    read = applications.get(f"/v1/claims/{filed.json()['claim_id']}", headers=auth())
    assert read.status_code == 200, read.text
    assert read.json()["decision"] == decision
