from sqlalchemy import select

from services.disbursement.db.tables import DecisionRow
from services.disbursement.messaging.payee_changes import apply_payee_change
from shared.db import unit_of_work
from shared.events import CLAIM_PAYEE_CHANGED, new_event
from shared.identifiers import pseudonymise
from shared.settings import DEV_PII_KEY
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.disbursement.factories import add_eligible, staged, statuses
from tests.support import auth

MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")
NEW_PAYEE = pseudonymise("6222020200099999999", DEV_PII_KEY)


def _failed_claim(api, engine) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    [claim_id] = add_eligible(engine, 1, amount_fen=150000)
    batch_id = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
    [item] = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).json()["items"]
    api.post("/v1/bank-returns", content=csv_file([Row(item["payment_id"], "FAILED", "1500.00", reason_code="AC04")]),
             headers={**CHECKER, "content-type": "text/csv"})
    return claim_id, batch_id


def _payee_changed(engine, claim_id: str) -> None:  # type: ignore[no-untyped-def]
    event = new_event(CLAIM_PAYEE_CHANGED, "grants/applications", claim_id, {"claim_id": claim_id, "payee_ref": NEW_PAYEE})
    with unit_of_work(engine) as session:
        apply_payee_change(session, event)


def test_a_corrected_payee_waits_for_an_officer_then_is_eligible_again_and_can_be_rebatched(api, engine):
    claim_id, first_batch = _failed_claim(api, engine)
    assert statuses(engine, [claim_id]) == {claim_id: "payment_failed"}
    _payee_changed(engine, claim_id)
    assert statuses(engine, [claim_id]) == {claim_id: "payee_unconfirmed"}
    assert staged(engine, "grants.claim.unbatched") == []
    blocked = api.post("/v1/batches", json={"fund": "unemployment_insurance", "claim_ids": [claim_id]}, headers=MAKER)
    assert blocked.status_code == 409
    assert api.post(f"/v1/claims/{claim_id}/payee-confirmations", headers=auth(sub="claimant")).status_code == 403
    confirmed = api.post(f"/v1/claims/{claim_id}/payee-confirmations", json={"note": "called the claimant"},
                         headers=CHECKER)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "eligible"
    assert api.post(f"/v1/claims/{claim_id}/payee-confirmations", headers=CHECKER).status_code == 409
    assert statuses(engine, [claim_id]) == {claim_id: "eligible"}
    [unbatched] = staged(engine, "grants.claim.unbatched")
    assert unbatched["data"] == {"claim_id": claim_id, "batch_id": first_batch, "reason": "payee_corrected"}
    again = api.post("/v1/batches", json={"fund": "unemployment_insurance", "claim_ids": [claim_id]}, headers=MAKER)
    assert again.status_code == 201 and again.json()["items"][0]["payee_ref"] == NEW_PAYEE
    approved = api.post(f"/v1/batches/{again.json()['batch_id']}/approve", headers=CHECKER).json()
    assert approved["status"] == "approved"
    assert [e["data"]["payee_ref"] for e in staged(engine, "grants.payment.issued")][-1] == NEW_PAYEE


def test_a_payee_change_for_a_claim_that_did_not_fail_changes_nothing(api, engine):
    [claim_id] = add_eligible(engine, 1)
    _payee_changed(engine, claim_id)
    with engine.connect() as conn:
        row = conn.execute(select(DecisionRow.status, DecisionRow.payee_ref).where(DecisionRow.claim_id == claim_id)).one()
    assert row.status == "eligible" and row.payee_ref != NEW_PAYEE
    assert staged(engine, "grants.claim.unbatched") == []


def test_a_failed_payment_is_not_counted_against_the_budget(api, engine):
    _failed_claim(api, engine)
    funds = api.get("/v1/funds", headers=CHECKER).json()["items"]
    assert next(f for f in funds if f["fund"] == "unemployment_insurance")["issued"] == "0.00"
