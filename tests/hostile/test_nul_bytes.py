"""Issue 12 point 2: a NUL byte in a path, query, header or body is a 422 on PostgreSQL, never a 500 or a
dropped connection."""

import pytest

from tests.support import auth, skill_upgrade_body

APPLICANT = auth("applicant", "applicant-nul")


def _names_field(response, field: str) -> bool:  # type: ignore[no-untyped-def]
    body = response.json()
    return response.status_code == 422 and any(e["field"] == field for e in body.get("errors", []))


@pytest.mark.parametrize("path", ["/v1/claims/%00", "/v1/claims/abc%00def", "/v1/claims?cursor=%00",
                                  "/v1/claims?limit=%00"])
def test_nul_in_an_applications_path_or_query_is_a_422(applications, path):
    r = applications.get(path, headers=APPLICANT)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text


def test_nul_in_a_claim_body_is_a_422_naming_the_body_and_nothing_is_stored(applications):
    body = skill_upgrade_body(seq=901)
    body["payee_account"]["account_name"] = "张\u0000三"
    r = applications.post("/v1/claims", json=body, headers={**APPLICANT, "Idempotency-Key": "nul-1"})
    assert _names_field(r, "body"), r.text
    assert applications.get("/v1/claims", headers=APPLICANT).json()["items"] == []


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(applications):
    body = skill_upgrade_body(seq=902)
    body["facts"]["certificate_number"] = "C\\u0000"  # the characters C, \, u, 0, 0, 0, 0
    r = applications.post("/v1/claims", json=body, headers={**APPLICANT, "Idempotency-Key": "nul-2"})
    assert r.status_code == 201, r.text


def test_nul_in_the_idempotency_key_is_a_422_naming_the_header(applications):
    from starlette.testclient import TestClient  # noqa: F401  (the header travels as raw bytes)

    r = applications.post("/v1/claims", json=skill_upgrade_body(seq=903),
                          headers=[*APPLICANT.items(), ("Idempotency-Key", "k\x00ey")])
    assert _names_field(r, "idempotency-key"), r.text


def test_the_ledger_export_of_a_nul_fund_is_a_422_not_a_dropped_connection(audit):
    r = audit.get("/v1/ledger/export?fund=%00", headers=auth("auditor", "aud-1"))
    assert _names_field(r, "query"), r.text


@pytest.mark.parametrize("path", ["/v1/batches/%00", "/v1/batches?fund=%00", "/v1/entitlements?fund=x%00"])
def test_nul_in_a_disbursement_path_or_query_is_a_422(disbursement, path):
    r = disbursement.get(path, headers=auth("officer", "off-1"))
    assert r.status_code == 422, r.text


def test_nul_in_a_disbursement_body_is_a_422(disbursement):
    r = disbursement.post("/v1/batches", content=b'{"fund": "unemployment\\u0000_insurance"}',
                          headers={**auth("officer", "off-1"), "content-type": "application/json"})
    assert _names_field(r, "body"), r.text
