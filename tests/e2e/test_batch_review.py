"""Issue 14, point 1: the second officer reviews a batch before approving it, with names and masked
accounts; a refused approval is in the batch's history with who and why."""

from sqlalchemy import select

from services.disbursement.db.tables import access_log
from shared.db import make_engine
from tests.e2e.officer_stack import CHECKER, MAKER, officer_stack
from tests.support import skill_upgrade_body


def test_the_second_officer_sees_names_masked_accounts_reasons_and_flags_before_approving(broker, topic_prefix):
    with officer_stack(broker, topic_prefix) as stack:
        plain = stack.file(skill_upgrade_body(301))
        other_payee = skill_upgrade_body(302)
        other_payee["payee_account"]["account_name"] = "王五"
        odd = stack.file(other_payee)
        stack.wait_status(plain, "eligible")
        stack.wait_status(odd, "eligible")
        batch_id = stack.api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]

        review = stack.api.get(f"/v1/batches/{batch_id}", headers=CHECKER).json()
        items = {item["claim_id"]: item for item in review["items"]}
        assert items[plain]["claimant_name"] == "张三" and items[plain]["payee_name"] == "张三"
        assert items[plain]["payee_account_masked"] == "****0301"
        assert items[plain]["clause"] == "qingyang-2023 §18" and items[plain]["amount"] == "1500.00"
        assert items[plain]["reasons"] == [] and items[plain]["computation"][0]["clause"]
        assert items[plain]["flags"] == []
        assert items[odd]["payee_name"] == "王五" and items[odd]["flags"] == ["payee_name_differs"]
        assert review["review"] == {"available": True, "flagged_items": 1}
        assert "62220202000" not in str(review)  # never the whole account
        engine = make_engine(stack.disbursement_db)
        with engine.connect() as conn:
            reads = conn.execute(select(access_log).where(access_log.c.batch_id == batch_id)).mappings().all()
        engine.dispose()
        assert {(r["claim_id"], r["action"], r["actor"]) for r in reads} == {(plain, "batch.review", "checker-1"),
                                                                            (odd, "batch.review", "checker-1")}


def test_a_refused_approval_is_in_the_batch_history_with_who_and_why(broker, topic_prefix):
    with officer_stack(broker, topic_prefix) as stack:
        claim_id = stack.file(skill_upgrade_body(311))
        stack.wait_status(claim_id, "eligible")
        batch_id = stack.api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
        refused = stack.api.post(f"/v1/batches/{batch_id}/approve", headers=MAKER)
        assert refused.status_code == 403 and refused.json()["type"].endswith("maker-cannot-approve")
        history = stack.api.get(f"/v1/batches/{batch_id}", headers=CHECKER).json()["history"]
        refusal = history[-1]
        assert refusal["action"] == "approval_refused" and refusal["actor"] == "maker-1"
        assert refusal["detail"]["code"] == "maker_cannot_approve" and "another officer" in refusal["reason"]
        assert refusal["to_status"] == "draft"
