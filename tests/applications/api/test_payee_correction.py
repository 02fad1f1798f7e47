import json

from sqlalchemy import select

from services.applications.db.tables import outbox
from shared.events import CLAIM_BATCHED, CLAIM_DECIDED, CLAIM_UNBATCHED, PAYMENT_FAILED, PAYMENT_ISSUED
from shared.identifiers import pseudonymise
from shared.settings import DEV_PII_KEY
from tests.applications.messaging.timeline_support import deliver
from tests.support import auth, service_auth, skill_upgrade_body

NEW_ACCOUNT = {"account_number": "6222 0202 0009 9999 999", "account_name": "张三", "bank": "ICBC"}


def _filed(client) -> str:  # type: ignore[no-untyped-def]
    filed = client.post("/v1/claims", json=skill_upgrade_body(), headers={**auth(), "Idempotency-Key": "k"})
    return filed.json()["claim_id"]


def _failed(client) -> str:  # type: ignore[no-untyped-def]
    claim_id = _filed(client)
    deliver(client.app.state.runtime.engine, claim_id, CLAIM_DECIDED, CLAIM_BATCHED, PAYMENT_ISSUED, PAYMENT_FAILED)
    return claim_id


def _staged_payee_changes(client) -> list[dict]:  # type: ignore[no-untyped-def]
    with client.app.state.runtime.engine.connect() as conn:
        events = [json.loads(p) for p in conn.execute(select(outbox.c.payload)).scalars()]
    return [e for e in events if e["type"] == "grants.claim.payee_changed"]


def test_the_claimant_corrects_the_payee_account_of_a_failed_payment(client):
    claim_id = _failed(client)
    r = client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth())
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["history"][-1]["detail"]) == ("payment_failed", "payee account corrected")
    [event] = _staged_payee_changes(client)
    assert event["data"]["payee_ref"] == pseudonymise(NEW_ACCOUNT["account_number"], DEV_PII_KEY)
    assert "9999" not in json.dumps(event) and "张三" not in json.dumps(event, ensure_ascii=False)
    body = client.get(f"/internal/v1/claims/{claim_id}", headers=service_auth()).json()["body"]
    assert body["payee_account"]["account_number"] == NEW_ACCOUNT["account_number"]
    deliver(client.app.state.runtime.engine, claim_id, CLAIM_UNBATCHED)
    assert client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["status"] == "eligible"


def test_the_same_account_again_changes_nothing(client):
    claim_id = _failed(client)
    client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth())
    assert client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth()).status_code == 200
    assert len(_staged_payee_changes(client)) == 1


def test_the_payee_account_is_corrected_only_after_a_failed_payment(client):
    claim_id = _filed(client)
    r = client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth())
    assert r.status_code == 409 and r.json()["status_now"] == "submitted"


def test_only_the_claimant_corrects_the_payee_account(client):
    claim_id = _failed(client)
    by_another = client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth(sub="other"))
    assert by_another.status_code == 404
    assert client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT,
                      headers=auth("officer", "o")).status_code == 403


def test_a_malformed_account_is_a_422_naming_the_field(client):
    claim_id = _failed(client)
    r = client.put(f"/v1/claims/{claim_id}/payee-account", json={**NEW_ACCOUNT, "account_number": "12"}, headers=auth())
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "account_number"


def test_after_the_correction_the_applicant_still_reads_the_banks_reason(client):
    claim_id = _failed(client)
    client.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth())
    explanation = client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["explanation"]
    assert explanation["reason_code"] == "AC04"
    assert explanation["message"] == "款项未能到账。收款账户已销户。"
