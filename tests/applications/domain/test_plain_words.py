"""What an applicant reads of their claim's status: sentences in their language, never the API's paths."""

import pytest

from services.applications.domain.plain_words import BANK_REASONS, LANGUAGES, explain
from services.applications.domain.status import ALLOWED


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", [*BANK_REASONS, "XX99", None])
def test_what_to_do_after_a_failed_payment_is_said_in_words_not_as_an_api_path(code, language):
    next_step = explain("payment_failed", code, language)["next_step"]
    assert next_step and "/v1/" not in next_step and "PUT" not in next_step


def test_an_account_to_correct_is_pointed_to_by_the_button_the_applicant_sees():
    assert "“更正收款账户”" in explain("payment_failed", "AC04", "zh")["next_step"]
    assert "“Correct the payee account”" in explain("payment_failed", "AC04", "en")["next_step"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", ALLOWED)
def test_every_status_of_a_claim_reads_as_a_sentence_not_its_code(status, language):
    assert explain(status, None, language)["message"] != status


def test_a_withdrawn_claim_says_it_is_closed_and_how_to_claim_again():
    assert explain("withdrawn", None, "zh") == {
        "status": "withdrawn", "language": "zh", "message": "您已撤回申请，本申请办理终止。", "reason_code": None,
        "next_step": "如需再次申请，请重新提交。"}
    english = explain("withdrawn", None, "en")
    assert (english["message"], english["next_step"]) == ("You withdrew your claim; it is closed.",
                                                          "If you change your mind, file a new claim.")
