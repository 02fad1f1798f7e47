"""Issue 12 point 1 at drafting: a claim filed before intake checked payee text (its body edited here) is
refused by name at drafting, or left out of an automatic draft, never found after approval with the whole
batch's file blocked."""

import uuid

import httpx
from sqlalchemy import update

from services.applications.db.tables import ClaimRow
from shared.db import make_engine
from tests.disbursement.factories import decide_filed
from tests.support import auth, skill_upgrade_body

MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")


def _filed_then_spoilt(live_applications: str, engine, tmp_path, count: int):  # type: ignore[no-untyped-def]
    """`count` claims filed and decided eligible; the first one's payee name then given a control character
    in the applications database, as a claim filed before intake checked it would hold."""
    bodies = {}
    for i in range(count):
        body = skill_upgrade_body(400 + i)
        r = httpx.post(f"{live_applications}/v1/claims", json=body,
                       headers={**auth(sub=f"payee-{i}"), "Idempotency-Key": str(uuid.uuid4())})
        bodies[r.json()["claim_id"]] = body
    decide_filed(engine, bodies)
    spoilt = next(iter(bodies))
    bad = {**bodies[spoilt], "payee_account": {**bodies[spoilt]["payee_account"], "account_name": "张\u0001三"}}
    with make_engine(f"sqlite:///{tmp_path}/applications.db").begin() as conn:
        conn.execute(update(ClaimRow).where(ClaimRow.claim_id == spoilt).values(body=bad))
    return spoilt, [cid for cid in bodies if cid != spoilt]


def test_drafting_refuses_a_chosen_claim_whose_payee_the_file_cannot_carry(paying_api, applications, tmp_path):
    spoilt, good = _filed_then_spoilt(applications, paying_api.app.state.runtime.engine, tmp_path, 3)
    r = paying_api.post("/v1/batches", json={"fund": "unemployment_insurance", "claim_ids": [spoilt, *good]},
                        headers=MAKER)
    assert r.status_code == 422 and r.json()["claims"][0]["claim_id"] == spoilt, r.text
    assert "payee name" in r.json()["claims"][0]["problem"] and "张" not in r.text


def test_an_automatic_draft_leaves_the_unpayable_claim_out_and_its_file_renders(paying_api, applications, tmp_path):
    spoilt, good = _filed_then_spoilt(applications, paying_api.app.state.runtime.engine, tmp_path, 3)
    draft = paying_api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER)
    assert draft.status_code == 201, draft.text
    assert sorted(i["claim_id"] for i in draft.json()["items"]) == sorted(good)
    batch_id = draft.json()["batch_id"]
    assert paying_api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).status_code == 200
    assert paying_api.get(f"/v1/batches/{batch_id}/payment-file", headers=CHECKER).status_code == 200
