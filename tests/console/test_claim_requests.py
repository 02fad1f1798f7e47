"""The applicant's payee correction form: what it sends to the API, and the API's messages back beside the
fields; and that the officer's and the applicant's new pages ask for the right role."""

import pytest

from services.console.domain.claim_forms import payee_body, payee_messages
from tests.console.support import console, sign_in


def test_the_payee_form_sends_the_account_and_leaves_an_empty_field_out_so_the_api_names_it():
    form = {"payee_account.account_number": " 6217 0000 1234 ", "payee_account.account_name": "刘洋",
            "payee_account.bank": "", "csrf_token": "t"}
    assert payee_body(form) == {"account_number": "6217 0000 1234", "account_name": "刘洋"}


def test_the_payee_apis_messages_go_beside_their_field():
    per_field, general = payee_messages([{"field": "bank", "message": "Field required"},
                                         {"field": "body", "message": "not an object"}])
    assert per_field == {"payee_account.bank": ["Field required"]} and general == ["not an object"]


@pytest.mark.parametrize("path", ["/officer/claims", "/officer/payee-changes", "/officer/reevaluations"])
def test_an_applicant_does_not_open_the_officers_pages(path):
    client = console()
    sign_in(client, "applicant", "刘洋")
    refused = client.get(path)
    assert refused.status_code == 403 and "您的角色无权打开此页面。" in refused.text


def test_an_officer_does_not_open_an_applicants_payee_form():
    client = console()
    sign_in(client, "officer", "李明")
    assert client.get("/claims/C1/payee").status_code == 403
