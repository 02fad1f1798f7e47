from services.applications.db.tables import outbox
from tests.support import auth, skill_upgrade_body


def test_filing_a_claim_answers_201_with_submitted_status_and_history(client):
    r = client.post("/v1/claims", json=skill_upgrade_body(), headers={**auth(), "Idempotency-Key": "k-1"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "submitted" and body["programme"] == "skill_upgrade"
    assert body["jurisdiction"] == "qingyang" and body["decision"] is None
    assert [h["status"] for h in body["history"]] == ["submitted"]


def test_replaying_the_same_key_and_body_returns_the_same_claim_with_200(client):
    headers = {**auth(), "Idempotency-Key": "k-2"}
    first = client.post("/v1/claims", json=skill_upgrade_body(), headers=headers)
    again = client.post("/v1/claims", json=skill_upgrade_body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["claim_id"] == first.json()["claim_id"]


def test_same_key_with_a_different_body_is_a_409_problem(client):
    headers = {**auth(), "Idempotency-Key": "k-3"}
    client.post("/v1/claims", json=skill_upgrade_body(1), headers=headers)
    r = client.post("/v1/claims", json=skill_upgrade_body(2), headers=headers)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 409


def test_the_same_key_from_another_applicant_is_a_separate_claim(client):
    a = client.post("/v1/claims", json=skill_upgrade_body(), headers={**auth(sub="a"), "Idempotency-Key": "k"})
    b = client.post("/v1/claims", json=skill_upgrade_body(), headers={**auth(sub="b"), "Idempotency-Key": "k"})
    assert a.json()["claim_id"] != b.json()["claim_id"]


def test_filing_stages_a_submitted_event_without_identifiers_in_the_outbox(client):
    body = skill_upgrade_body()
    client.post("/v1/claims", json=body, headers={**auth(), "Idempotency-Key": "k-4"})
    with client.app.state.runtime.engine.connect() as conn:
        payloads = [row.payload for row in conn.execute(outbox.select())]
    assert len(payloads) == 1 and "grants.claim.submitted" in payloads[0]
    for secret in (body["claimant"]["id_number"], body["payee_account"]["account_number"], "张三"):
        assert secret not in payloads[0]


def test_applicant_reads_own_claim_but_another_applicant_gets_404(client):
    claim_id = client.post("/v1/claims", json=skill_upgrade_body(),
                           headers={**auth(sub="owner"), "Idempotency-Key": "k-5"}).json()["claim_id"]
    assert client.get(f"/v1/claims/{claim_id}", headers=auth(sub="owner")).status_code == 200
    assert client.get(f"/v1/claims/{claim_id}", headers=auth(sub="intruder")).status_code == 404
    assert client.get(f"/v1/claims/{claim_id}", headers=auth("officer", "off-1")).status_code == 200


def test_claim_list_is_paginated_with_a_cursor(client):
    for i in range(5):
        client.post("/v1/claims", json=skill_upgrade_body(i), headers={**auth(sub="lister"), "Idempotency-Key": f"p{i}"})
    first = client.get("/v1/claims?limit=2", headers=auth(sub="lister")).json()
    second = client.get(f"/v1/claims?limit=2&cursor={first['next_cursor']}", headers=auth(sub="lister")).json()
    third = client.get(f"/v1/claims?limit=2&cursor={second['next_cursor']}", headers=auth(sub="lister")).json()
    ids = [c["claim_id"] for page in (first, second, third) for c in page["items"]]
    assert len(ids) == 5 == len(set(ids))
    assert third["next_cursor"] is None
