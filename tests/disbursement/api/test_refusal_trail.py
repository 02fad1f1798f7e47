"""Issue 14, point 1: an approval refused for the budget or the daily limit is in the batch's history with
who and why, and the batch stays where it was."""

from fastapi.testclient import TestClient

from tests.disbursement.api.test_budgets import CHECKER, MAKER, _budget, _draft
from tests.disbursement.factories import add_eligible



def _last(api, batch_id: str) -> dict:  # type: ignore[no-untyped-def]
    return api.get(f"/v1/batches/{batch_id}", headers=CHECKER).json()["history"][-1]


def test_a_budget_refusal_is_in_the_batch_trail_with_the_figures(api, engine):
    _budget(api, "1000.00")
    batch_id = _draft(api, engine, 1)  # 1500.00 > 1000.00
    assert api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).status_code == 409
    refusal = _last(api, batch_id)
    assert (refusal["action"], refusal["actor"], refusal["actor_role"]) == ("approval_refused", "checker-1", "officer")
    assert refusal["detail"]["code"] == "budget_exceeded" and refusal["detail"]["budget"] == "1000.00"
    assert "past its budget" in refusal["reason"] and refusal["from_status"] == refusal["to_status"] == "draft"


def test_a_daily_limit_refusal_is_in_the_batch_trail(app_with):
    with TestClient(app_with(grants_officer_daily_limit="1000.00")) as api:
        add_eligible(api.app.state.runtime.engine, 1, amount_fen=150000)
        batch_id = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
        assert api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).status_code == 409
        refusal = _last(api, batch_id)
        assert refusal["detail"]["code"] == "daily_limit_exceeded" and refusal["actor"] == "checker-1"
        assert refusal["detail"]["daily_limit"] == "1000.00"
