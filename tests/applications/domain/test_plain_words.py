"""What an applicant reads of their claim's status: sentences in their language, never the API's paths."""

import pytest

from services.applications.domain.plain_words import BANK_REASONS, LANGUAGES, explain


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", [*BANK_REASONS, "XX99", None])
def test_what_to_do_after_a_failed_payment_is_said_in_words_not_as_an_api_path(code, language):
    next_step = explain("payment_failed", code, language)["next_step"]
    assert next_step and "/v1/" not in next_step and "PUT" not in next_step


def test_an_account_to_correct_is_pointed_to_by_the_button_the_applicant_sees():
    assert "“更正收款账户”" in explain("payment_failed", "AC04", "zh")["next_step"]
    assert "“Correct the payee account”" in explain("payment_failed", "AC04", "en")["next_step"]
