from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from threading import Barrier

import httpx
from fastapi.testclient import TestClient

from shared.china_time import business_year
from tests.disbursement.factories import add_eligible
from tests.live_server import serve
from tests.support import auth

ADMIN, MAKER, CHECKER = auth("admin", "admin-1"), auth("officer", "maker-1"), auth("officer", "checker-1")


def _this_year() -> int:
    return business_year(datetime.now(UTC))


def _budget(api, amount: str, fund: str = "unemployment_insurance"):  # type: ignore[no-untyped-def]
    return api.put(f"/v1/funds/{fund}/budgets/{_this_year()}", json={"amount": amount}, headers=ADMIN)


def _draft(api, engine, count: int, amount_fen: int = 150000) -> str:  # type: ignore[no-untyped-def]
    add_eligible(engine, count, amount_fen=amount_fen, start=count * 1000)
    return api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]


def test_an_admin_sets_a_budget_and_funds_show_it_with_the_approval_limits(api):
    r = _budget(api, "5000000.00")
    assert r.status_code == 200 and (r.json()["budget"], r.json()["issued"], r.json()["remaining"]) == \
        ("5000000.00", "0.00", "5000000.00")
    funds = api.get("/v1/funds", headers=CHECKER).json()
    mine = next(f for f in funds["items"] if f["fund"] == "unemployment_insurance")
    assert (mine["budget"], mine["budget_set_by"], mine["year"]) == ("5000000.00", "admin-1", _this_year())
    assert funds["approval_limits"]["dual_approval_threshold"] == "1000000.00"
    assert funds["approval_limits"]["officer_daily_limit"] == "10000000.00"


def test_only_an_admin_sets_budgets_and_only_for_known_funds(api):
    assert _budget(api, "1.00").status_code == 200
    assert api.put(f"/v1/funds/unemployment_insurance/budgets/{_this_year()}", json={"amount": "1.00"},
                   headers=CHECKER).status_code == 403
    assert _budget(api, "1.00", fund="pension").status_code == 404
    assert _budget(api, "-1.00").status_code == 422
    assert _budget(api, "1.001").status_code == 422


def test_approving_past_the_funds_budget_answers_409_with_the_figures(api, engine):
    _budget(api, "5000.00")
    first = _draft(api, engine, 2)  # 3000.00
    assert api.post(f"/v1/batches/{first}/approve", headers=CHECKER).status_code == 200
    second = _draft(api, engine, 2)  # 3000.00 more: 6000.00 > 5000.00
    r = api.post(f"/v1/batches/{second}/approve", headers=CHECKER)
    assert r.status_code == 409 and r.json()["type"].endswith("/budget-exceeded")
    body = r.json()
    assert (body["budget"], body["issued"], body["batch_total"], body["remaining"], body["fund"]) == \
        ("5000.00", "3000.00", "3000.00", "2000.00", "unemployment_insurance")
    assert api.get(f"/v1/batches/{second}", headers=CHECKER).json()["status"] == "draft"
    _budget(api, "6000.00")
    assert api.post(f"/v1/batches/{second}/approve", headers=CHECKER).status_code == 200


def test_two_approvals_that_only_one_budget_fits_let_exactly_one_through(app_with):
    app = app_with()
    engine = app.state.runtime.engine
    with serve(app) as base:
        httpx.put(f"{base}/v1/funds/unemployment_insurance/budgets/{_this_year()}", json={"amount": "4000.00"},
                  headers=ADMIN)
        batches = []
        for n in range(2):
            add_eligible(engine, 2, start=n * 10)  # 3000.00 each
            batches.append(httpx.post(f"{base}/v1/batches", json={"fund": "unemployment_insurance"},
                                      headers=MAKER, timeout=30).json()["batch_id"])
        barrier = Barrier(2)

        def approve(args):  # type: ignore[no-untyped-def]
            batch_id, who = args
            barrier.wait()
            return httpx.post(f"{base}/v1/batches/{batch_id}/approve", headers=auth("officer", who), timeout=30)

        with ThreadPoolExecutor(2) as pool:
            codes = sorted(r.status_code for r in pool.map(approve, zip(batches, ["c1", "c2"])))
        funds = httpx.get(f"{base}/v1/funds", headers=CHECKER).json()["items"]
    assert codes == [200, 409]
    assert next(f for f in funds if f["fund"] == "unemployment_insurance")["issued"] == "3000.00"


def test_budgets_can_be_required_for_every_fund(app_with):
    with TestClient(app_with(grants_fund_budget_required=True)) as api:
        batch_id = _draft(api, api.app.state.runtime.engine, 1)
        r = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
        assert r.status_code == 409 and r.json()["type"].endswith("/budget-not-set")


def test_setting_a_budget_announces_it_to_the_audit_through_the_outbox(api, engine):
    import json

    from services.disbursement.db.tables import outbox

    _budget(api, "750000.00")
    with engine.connect() as conn:
        events = [json.loads(r.payload) for r in conn.execute(outbox.select())]
    budget_events = [e for e in events if e["type"] == "grants.fund.budget_set"]
    assert [(e["data"]["fund"], e["data"]["year"], e["data"]["amount"]) for e in budget_events] == [
        ("unemployment_insurance", _this_year(), "750000.00")]
