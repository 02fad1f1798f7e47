"""Issue 14, point 4: a payee account changed after a failed payment is batched again only once an officer
has confirmed it, the second officer sees the change flagged, and the audit flags the payee's name."""

import httpx

from tests.e2e.officer_stack import AUDITOR, CHECKER, CLAIMANT, MAKER, officer_stack
from tests.faults.conditions import wait_for
from tests.support import skill_upgrade_body

NEW_ACCOUNT = {"account_number": "6222020200077777777", "account_name": "李四", "bank": "ICBC"}


def test_a_payee_changed_after_a_failure_waits_for_an_officer_then_is_flagged_for_review_and_audit(broker, topic_prefix):
    with officer_stack(broker, topic_prefix, with_audit=True) as stack:
        claim_id = stack.file(skill_upgrade_body(501))
        stack.wait_status(claim_id, "eligible")
        stack.fail_payment(claim_id)
        changed = httpx.put(f"{stack.apps}/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=CLAIMANT)
        assert changed.status_code == 200

        def awaiting() -> bool:
            listed = stack.api.get("/v1/entitlements", params={"status": "payee_unconfirmed"}, headers=CHECKER)
            return [e["claim_id"] for e in listed.json()["items"]] == [claim_id]
        wait_for(awaiting, timeout=30, what="the payee change to await confirmation")
        blocked = stack.api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER)
        assert blocked.status_code == 409  # not batched again without a confirmation
        assert stack.claim(claim_id)["status"] == "payment_failed"
        assert stack.api.post(f"/v1/claims/{claim_id}/payee-confirmations", headers=CLAIMANT).status_code == 403

        confirmed = stack.api.post(f"/v1/claims/{claim_id}/payee-confirmations", json={"note": "checked by phone"},
                                   headers=CHECKER)
        assert confirmed.status_code == 200 and confirmed.json()["confirmed_by"] == "checker-1"
        stack.wait_status(claim_id, "eligible")
        batch_id = stack.api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
        [item] = stack.api.get(f"/v1/batches/{batch_id}", headers=CHECKER).json()["items"]
        assert item["payee_account_masked"] == "****7777" and item["payee_name"] == "李四"
        assert item["flags"] == ["payee_name_differs", "payee_changed_after_failure"]
        assert stack.api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).status_code == 200

        def flagged() -> bool:
            found = stack.audit.get("/v1/anomalies", params={"rule": "payee_name_not_claimant"}, headers=AUDITOR)
            return found.status_code == 200 and len(found.json()["items"]) == 1
        wait_for(flagged, timeout=45, what="the audit to flag the payee's name")
        [finding] = stack.audit.get("/v1/anomalies", params={"rule": "payee_name_not_claimant"},
                                    headers=AUDITOR).json()["items"]
        assert finding["clause"] == "qingyang-2023 §三(二)" and "李四" not in finding["detail"]
