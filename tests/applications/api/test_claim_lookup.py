from tests.support import auth, service_auth, skill_upgrade_body


def _file(client, n: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [client.post("/v1/claims", json=skill_upgrade_body(i), headers={**auth(), "Idempotency-Key": f"k{i}"}
                        ).json()["claim_id"] for i in range(n)]


def test_a_service_fetches_many_claim_bodies_at_once_and_learns_which_are_missing(client):
    ids = _file(client, 3)
    r = client.post("/internal/v1/claims/lookup", json={"claim_ids": [ids[2], "nope", ids[0]]},
                    headers=service_auth())
    assert r.status_code == 200
    assert [item["claim_id"] for item in r.json()["items"]] == [ids[2], ids[0]]
    assert r.json()["items"][0]["body"] == skill_upgrade_body(2)
    assert r.json()["missing"] == ["nope"]


def test_only_the_scoped_service_looks_claims_up_and_at_most_500_at_a_time(client):
    ids = _file(client, 1)
    by_officer = client.post("/internal/v1/claims/lookup", json={"claim_ids": ids}, headers=auth("officer", "o"))
    assert by_officer.status_code == 403
    too_many = {"claim_ids": [f"c{i}" for i in range(501)]}
    assert client.post("/internal/v1/claims/lookup", json=too_many, headers=service_auth()).status_code == 422
