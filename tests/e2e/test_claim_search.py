"""Issue 14, point 2: officers, auditors and admins search every claim; an applicant still sees only their
own; rejected decisions can be listed among the entitlements."""

from datetime import UTC, datetime, timedelta

import httpx

from shared.china_time import business_day
from tests.e2e.officer_stack import ADMIN, AUDITOR, CHECKER, CLAIMANT, officer_stack
from tests.support import auth, hiring_body, person_id, skill_upgrade_body

OTHER = auth(sub="another-claimant")


def _ids(apps: str, who: dict[str, str], **params: str) -> set[str]:
    response = httpx.get(f"{apps}/v1/claims", params=params, headers=who)
    assert response.status_code == 200, response.text
    return {claim["claim_id"] for claim in response.json()["items"]}


def test_staff_find_claims_by_status_fund_reason_identity_number_and_filing_day(broker, topic_prefix):
    with officer_stack(broker, topic_prefix) as stack:
        eligible = stack.file(skill_upgrade_body(401))
        short = stack.file(skill_upgrade_body(402, ui_contribution_months=3, receiving_ui_benefit=False))
        hiring = stack.file(hiring_body(403), OTHER)
        stack.wait_status(eligible, "eligible")
        stack.wait_status(short, "rejected")
        stack.wait_status(hiring, "eligible", OTHER)
        china_today = business_day(datetime.now(UTC))  # the API's days are China's, whatever the machine's zone
        apps, today = stack.apps, china_today.isoformat()

        assert _ids(apps, CHECKER) == {eligible, short, hiring}  # no longer an empty list
        assert _ids(apps, CHECKER, status="rejected") == {short}
        assert _ids(apps, AUDITOR, reason="INSURANCE_REQUIREMENT") == {short}
        assert _ids(apps, ADMIN, fund="employment_subsidy") == {hiring}
        assert _ids(apps, CHECKER, programme="skill_upgrade", jurisdiction="qingyang",
                    policy_id="qingyang-2023", status="eligible") == {eligible}
        assert _ids(apps, CHECKER, claimant_id_number=person_id(401)) == {eligible}
        assert _ids(apps, CHECKER, filed_from=today, filed_to=today) == {eligible, short, hiring}
        yesterday = (china_today - timedelta(days=1)).isoformat()
        assert _ids(apps, CHECKER, filed_to=yesterday) == set()
        first = httpx.get(f"{apps}/v1/claims", params={"limit": 2}, headers=CHECKER).json()
        rest = httpx.get(f"{apps}/v1/claims", params={"limit": 2, "cursor": first["next_cursor"]}, headers=CHECKER).json()
        assert len(first["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None

        misspelt = httpx.get(f"{apps}/v1/claims", params={"stauts": "rejected"}, headers=CHECKER)
        assert misspelt.status_code == 422 and misspelt.json()["errors"][0]["field"] == "stauts"
        assert httpx.get(f"{apps}/v1/claims", params={"reason": "NOPE"}, headers=CHECKER).status_code == 422

        assert _ids(apps, CLAIMANT) == {eligible, short}  # an applicant: their own, filters or not
        assert _ids(apps, OTHER, status="eligible") == {hiring}

        rejected = stack.api.get("/v1/entitlements", params={"status": "rejected"}, headers=CHECKER).json()["items"]
        assert [(e["claim_id"], e["amount"]) for e in rejected] == [(short, "0.00")]
        assert rejected[0]["reasons"][0]["code"] == "INSURANCE_REQUIREMENT"
