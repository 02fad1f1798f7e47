"""Issue 14 point 9, on PostgreSQL and the real broker: the applicant reads a failed payment's bank reason
(ISO 20022 code) as a sentence with what to do next, in Chinese or English per Accept-Language."""

import pytest

from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.e2e.stack import CHECKER, Stack, stack  # noqa: F401 - the fixture
from tests.faults.conditions import wait_for

pytestmark = pytest.mark.broker


def test_a_bank_failure_reads_as_a_sentence_in_the_applicants_language(stack: Stack):
    closed, blocked = stack.file(701, "citizen-701"), stack.file(702, "citizen-702")
    assert stack.claim(closed, "citizen-701", **{"Accept-Language": "en"})["explanation"]["message"] == \
        "Your claim was approved and waits for the next payment run."
    items = {i["claim_id"]: i for i in stack.approved_batch()["items"]}
    returned = csv_file([Row(items[closed]["payment_id"], "FAILED", items[closed]["amount"], reason_code="AC04"),
                         Row(items[blocked]["payment_id"], "FAILED", items[blocked]["amount"], reason_code="AC06")])
    r = stack.disbursement.post("/v1/bank-returns", content=returned, headers={**CHECKER, "content-type": "text/csv"})
    assert r.status_code == 200, r.text
    wait_for(lambda: stack.claim(closed, "citizen-701")["status"] == "payment_failed", timeout=45,
             what="the failure reaching the applicant")

    english = stack.claim(closed, "citizen-701", **{"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"})["explanation"]
    assert english["reason_code"] == "AC04" and english["language"] == "en"
    assert english["message"] == "The payment did not reach your account. The payee account has been closed."
    assert english["next_step"].startswith("Correct your payee account here")
    assert "/v1/" not in english["next_step"]  # applicants read words, not the API's paths
    chinese = stack.claim(closed, "citizen-701", **{"Accept-Language": "zh-CN"})["explanation"]
    assert chinese["message"] == "款项未能到账。收款账户已销户。" and "更正收款账户" in chinese["next_step"]
    assert stack.claim(closed, "citizen-701")["explanation"]["language"] == "zh"  # no preference: Chinese
    wait_for(lambda: stack.claim(blocked, "citizen-702")["status"] == "payment_failed", timeout=45, what="AC06")
    frozen = stack.claim(blocked, "citizen-702", **{"Accept-Language": "en"})["explanation"]
    assert frozen["message"].endswith("The payee account is blocked.") and "Contact your bank" in frozen["next_step"]
