"""Issue 14, point 3: claims rejected for an unset parameter are re-evaluated in bulk once an admin sets
it; an applicant withdraws a claim until it is batched, and asks for review of a rejection that an
officer answers by re-running the engine. Every step is in the claim's history."""

import httpx

from tests.e2e.officer_stack import ADMIN, CHECKER, CLAIMANT, MAKER, officer_stack
from tests.faults.conditions import wait_for
from tests.support import chongqing_hire_body, skill_upgrade_body

PARAMETER = "chongqing-2020.hiring_long_term_unemployed.amount"


def test_claims_rejected_for_an_unset_parameter_are_decided_again_in_bulk_once_it_is_set(broker, topic_prefix):
    with officer_stack(broker, topic_prefix) as stack:
        claims = [stack.file(chongqing_hire_body(600 + i)) for i in range(2)]
        for claim_id in claims:
            rejected = stack.wait_status(claim_id, "rejected")
            assert [r["code"] for r in rejected["decision"]["reasons"]] == ["PARAMETER_NOT_SET"]
        early = stack.api.post("/v1/reevaluations", json={"parameter_id": PARAMETER}, headers=CHECKER)
        assert early.status_code == 409  # nothing to re-decide with while it is unset
        put = stack.api.put(f"/v1/parameters/{PARAMETER}", json={"value": "1000.00", "reason": "district notice"},
                            headers=ADMIN)
        assert put.status_code == 200, put.text

        run = stack.api.post("/v1/reevaluations", json={"parameter_id": PARAMETER}, headers=CHECKER)
        assert run.status_code == 202 and run.json()["total"] == 2
        progress = f"/v1/reevaluations/{run.json()['reevaluation_id']}"
        wait_for(lambda: stack.api.get(progress, headers=CHECKER).json()["status"] == "done", what="the run")
        finished = stack.api.get(progress, headers=CHECKER).json()
        assert (finished["done"], finished["now_eligible"], finished["still_rejected"]) == (2, 2, 0)

        for claim_id in claims:
            seen = stack.wait_status(claim_id, "eligible")
            assert seen["decision"]["amount"] == "1000.00" and seen["decision"]["policy_id"] == "chongqing-2020"
            assert "decided again after a parameter was set by checker-1" in seen["history"][-1]["detail"]
            assert "catalog " in seen["history"][-1]["detail"]
        [recorded] = stack.api.get(f"/v1/claims/{claims[0]}/redecisions", headers=CHECKER).json()["items"]
        assert (recorded["trigger"], recorded["from_outcome"], recorded["outcome"], recorded["decided_by"]) == (
            "reevaluation", "rejected", "eligible", "checker-1")
        assert len(recorded["catalog_hash"]) == 64 and recorded["amount"] == "1000.00"
        again = stack.api.post("/v1/reevaluations", json={"parameter_id": PARAMETER}, headers=CHECKER).json()
        assert again["total"] == 0 and again["status"] == "done"  # each claim is re-decided once


def test_an_applicant_withdraws_until_batched_and_a_review_is_answered_by_the_engine(broker, topic_prefix):
    with officer_stack(broker, topic_prefix) as stack:
        kept, withdrawn = stack.file(skill_upgrade_body(611)), stack.file(skill_upgrade_body(612))
        short = stack.file(skill_upgrade_body(613, ui_contribution_months=3))
        for claim_id, status in ((kept, "eligible"), (withdrawn, "eligible"), (short, "rejected")):
            stack.wait_status(claim_id, status)

        gone = httpx.post(f"{stack.apps}/v1/claims/{withdrawn}/withdrawal", json={"reason": "filed twice"},
                          headers=CLAIMANT)
        assert gone.status_code == 200 and gone.json()["status"] == "withdrawn"
        assert gone.json()["history"][-1]["detail"] == "withdrawn by the applicant: filed twice"
        wait_for(lambda: [e["claim_id"] for e in stack.api.get("/v1/entitlements", params={"status": "withdrawn"},
                                                               headers=CHECKER).json()["items"]] == [withdrawn],
                 what="disbursement to learn of the withdrawal")
        batch = stack.api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()
        assert [item["claim_id"] for item in batch["items"]] == [kept]
        stack.wait_status(kept, "in_batch")
        late = httpx.post(f"{stack.apps}/v1/claims/{kept}/withdrawal", headers=CLAIMANT)
        assert late.status_code == 409

        asked = httpx.post(f"{stack.apps}/v1/claims/{short}/review-requests",
                           json={"reason": "I paid contributions for 14 months"}, headers=CLAIMANT)
        assert asked.status_code == 200 and asked.json()["review"] == "requested"
        queue = httpx.get(f"{stack.apps}/v1/claims", params={"review": "requested"}, headers=CHECKER).json()["items"]
        assert [c["claim_id"] for c in queue] == [short]
        answered = stack.api.post(f"/v1/claims/{short}/redecisions", json={"note": "contributions checked"},
                                  headers=CHECKER)
        assert answered.status_code == 200, answered.text
        assert answered.json()["outcome"] == "rejected" and answered.json()["amount"] == "0.00"
        wait_for(lambda: stack.claim(short)["review"] == "answered", what="the applicant to see the answer")
        seen = stack.claim(short)
        details = [h["detail"] for h in seen["history"]]
        assert "review requested: I paid contributions for 14 months" in details
        assert details[-1].startswith("decided again on review by checker-1: rejected")
        assert seen["decision"]["reasons"][0]["code"] == "INSURANCE_REQUIREMENT"
        assert stack.api.post(f"/v1/claims/{kept}/redecisions", headers=CHECKER).status_code == 409
