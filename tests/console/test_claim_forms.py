"""One form per programme, read from the claim body's own models: every programme's form has a field for every
fact, and a filled form gives back exactly the JSON body the API takes (the demo's claims of every kind)."""

from typing import Any

import pytest

from demo import scenario
from services.console.domain.claim_forms import (BOOLEAN, CHOICE, DATE, INTEGER, MONEY, claim_body, claim_form,
                                                  field_messages, leaves, programme_codes)
from shared.claims import PROGRAMMES, parse_claim
from tests.support import hiring_body, skill_upgrade_body


def _as_form(body: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """What a person types into the form for this body."""
    form: dict[str, str] = {}
    for key, value in body.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            form.update(_as_form(value, path + "."))
        elif isinstance(value, bool):
            form[path] = "true" if value else "false"
        else:
            form[path] = "" if value is None else str(value)
    return form


BODIES = [skill_upgrade_body(1), hiring_body(2), *(body for _label, body in scenario.claims())]


@pytest.mark.parametrize("body", BODIES, ids=[f"{b['programme']}-{n}" for n, b in enumerate(BODIES)])
def test_a_filled_form_gives_back_the_body_the_api_takes(body):
    form = {k: v for k, v in _as_form(body).items() if k not in ("programme", "claimant.kind")}
    rebuilt = claim_body(body["programme"], form)
    assert rebuilt == body
    parse_claim(rebuilt)  # and the API's own schema accepts it


def test_every_programme_has_a_form_with_a_field_for_each_fact():
    assert set(programme_codes()) == set(PROGRAMMES)
    for programme, (kind, model) in PROGRAMMES.items():
        paths = {f.path for f in leaves(claim_form(programme))}
        assert ("claimant.id_number" if kind == "person" else "claimant.uscc") in paths
        assert {"jurisdiction", "claimant.name", "payee_account.account_number"} <= paths
        assert {p.split(".")[1] for p in paths if p.startswith("facts.")} == set(model.model_fields), programme


def test_fields_take_the_input_their_type_needs():
    fields = {f.path: f for f in leaves(claim_form("trainee"))}
    assert fields["facts.start_date"].kind == DATE
    assert fields["facts.agreed_months"].kind == INTEGER
    assert fields["facts.trainee_category"].kind == CHOICE
    assert [v for v, _ in fields["facts.trainee_category"].choices] == ["graduate", "unemployed_youth"]
    assert fields["facts.contract_signed_on"].nullable  # required, but may be null: not signed yet
    assert not fields["facts.graduated_on"].required
    assert {f.kind for f in leaves(claim_form("skill_appraisal")) if f.path == "facts.appraisal_fee_paid"} == {MONEY}
    assert fields["facts.trainee.id_number"].label == "Resident identity number"
    assert {f.kind for f in leaves(claim_form("startup")) if f.path == "facts.first_business"} == {BOOLEAN}


def test_what_does_not_read_as_its_type_goes_to_the_api_as_typed_so_its_message_names_the_fault():
    body = claim_body("skill_upgrade", {"facts.ui_contribution_months": "fourteen", "facts.level": "4",
                                        "facts.receiving_ui_benefit": "false", "claimant.name": " "})
    assert body["facts"] == {"ui_contribution_months": "fourteen", "level": 4, "receiving_ui_benefit": False}
    assert "name" not in body["claimant"]  # empty: left out, so the API says it is required


def test_problem_errors_go_beside_their_field_or_above_the_form():
    per_field, general = field_messages([
        {"field": "facts.trainee.id_number", "message": "resident id checksum (GB 11643) does not match"},
        {"field": "facts", "message": "served_months cannot exceed agreed_months"},
        {"field": "facts.retention", "message": "retained cannot exceed completed"}], "trainee")
    assert per_field == {"facts.trainee.id_number": ["resident id checksum (GB 11643) does not match"]}
    assert general == ["served_months cannot exceed agreed_months", "facts.retention: retained cannot exceed completed"]
