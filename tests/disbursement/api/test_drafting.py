from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from services.disbursement.db.batch_tables import BatchItemRow
from tests.disbursement.factories import HIRING, add_eligible, staged, statuses
from tests.live_server import serve
from tests.support import auth

MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")


def _draft(api, **body):  # type: ignore[no-untyped-def]
    return api.post("/v1/batches", json={"fund": "unemployment_insurance", **body}, headers=MAKER)


def test_a_draft_takes_every_eligible_claim_of_the_fund_with_its_control_totals(api, engine):
    claims = add_eligible(engine, 3, amount_fen=150000)
    add_eligible(engine, 2, kind=HIRING, start=10)  # another fund: left alone
    r = _draft(api)
    assert r.status_code == 201, r.text
    batch = r.json()
    assert (batch["status"], batch["count"], batch["total"], batch["maker"]) == ("draft", 3, "4500.00", "maker-1")
    assert sorted(i["claim_id"] for i in batch["items"]) == sorted(claims)
    assert set(statuses(engine, claims).values()) == {"in_batch"}
    assert sorted(e["data"]["claim_id"] for e in staged(engine, "grants.claim.batched")) == sorted(claims)


def test_a_draft_of_chosen_claims_holds_only_those(api, engine):
    claims = add_eligible(engine, 4)
    batch = _draft(api, claim_ids=claims[:2], programme="skill_upgrade").json()
    assert sorted(i["claim_id"] for i in batch["items"]) == sorted(claims[:2])
    assert statuses(engine, claims[2:]) == {c: "eligible" for c in claims[2:]}


def test_a_batch_mixing_funds_is_refused(api, engine):
    ours, theirs = add_eligible(engine, 1), add_eligible(engine, 1, kind=HIRING, start=5)
    r = _draft(api, claim_ids=ours + theirs)
    assert r.status_code == 422 and "one fund" in r.json()["detail"]
    assert statuses(engine, ours + theirs) == {ours[0]: "eligible", theirs[0]: "eligible"}


def test_a_programme_the_fund_does_not_pay_is_refused(api, engine):
    add_eligible(engine, 1)
    r = _draft(api, programme="hiring")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "programme"


def test_a_claim_already_in_a_batch_cannot_be_drafted_again(api, engine):
    claims = add_eligible(engine, 1)
    assert _draft(api, claim_ids=claims).status_code == 201
    r = _draft(api, claim_ids=claims)
    assert r.status_code == 409 and r.json()["claims"] == [{"claim_id": claims[0], "status": "in_batch"}]


def test_nothing_to_batch_is_a_409(api):
    assert _draft(api).status_code == 409


def test_the_maker_removes_an_item_from_a_draft_and_the_claim_is_eligible_again(api, engine):
    claims = add_eligible(engine, 3, amount_fen=100000)
    batch_id = _draft(api).json()["batch_id"]
    r = api.delete(f"/v1/batches/{batch_id}/items/{claims[0]}?reason=duplicate%20application", headers=MAKER)
    assert r.status_code == 200, r.text
    assert (r.json()["count"], r.json()["total"]) == (2, "2000.00")
    assert statuses(engine, claims[:1]) == {claims[0]: "eligible"}
    removal = r.json()["history"][-1]
    assert (removal["action"], removal["actor"], removal["reason"]) == ("item_removed", "maker-1", "duplicate application")
    assert [e["data"]["reason"] for e in staged(engine, "grants.claim.unbatched")] == ["removed_from_draft"]


def test_only_the_maker_removes_items_and_only_from_a_draft(api, engine):
    claims = add_eligible(engine, 2)
    batch_id = _draft(api).json()["batch_id"]
    assert api.delete(f"/v1/batches/{batch_id}/items/{claims[0]}", headers=CHECKER).status_code == 403
    api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
    assert api.delete(f"/v1/batches/{batch_id}/items/{claims[0]}", headers=MAKER).status_code == 409


def test_two_makers_drafting_at_once_never_put_a_claim_in_two_batches(app_with, finance_url):
    app = app_with()
    with serve(app) as base:
        add_eligible(app.state.runtime.engine, 300)

        def draft(who):  # type: ignore[no-untyped-def]
            return httpx.post(f"{base}/v1/batches", json={"fund": "unemployment_insurance"},
                              headers=auth("officer", who), timeout=30)

        with ThreadPoolExecutor(4) as pool:
            responses = list(pool.map(draft, ["m1", "m2", "m3", "m4"]))
    assert {r.status_code for r in responses} <= {201, 409}
    counts = [r.json()["count"] for r in responses if r.status_code == 201]
    assert sum(counts) == 300
    with app.state.runtime.engine.connect() as conn:
        held = conn.execute(select(func.count(func.distinct(BatchItemRow.claim_id)))).scalar()
        rows = conn.execute(select(func.count()).select_from(BatchItemRow)).scalar()
    assert held == rows == 300


def test_officers_list_entitlements_by_status_and_fund_page_by_page(api, engine):
    claims = add_eligible(engine, 3)
    add_eligible(engine, 1, kind=HIRING, start=9)
    _draft(api, claim_ids=claims[:1])
    first = api.get("/v1/entitlements?status=eligible&fund=unemployment_insurance&limit=1", headers=CHECKER).json()
    second = api.get(f"/v1/entitlements?status=eligible&fund=unemployment_insurance&limit=1&cursor={first['next_cursor']}",
                     headers=CHECKER).json()
    assert [i["claim_id"] for i in first["items"] + second["items"]] == claims[1:]
    assert second["next_cursor"] is None and first["items"][0]["amount"] == "1500.00"
    in_batch = api.get("/v1/entitlements?status=in_batch", headers=CHECKER).json()["items"]
    assert [i["claim_id"] for i in in_batch] == claims[:1]
    assert api.get("/v1/entitlements", headers=auth()).status_code == 403
