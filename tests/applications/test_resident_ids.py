"""Claimants who can exist (issue 13, point 8): a resident id born in the future, or whose address code is no
GB/T 2260 division, is a 422 at intake naming the field; a real person's id is accepted."""

from datetime import date, timedelta

import pytest

from shared.identifiers import make_resident_id, validate_resident_id
from tests.support import auth, hiring_body, skill_upgrade_body

LATER = date.today() + timedelta(days=2)  # after today in China whatever the host's time zone


def _claimant(ident: str) -> dict:
    return {**skill_upgrade_body(), "claimant": {"kind": "person", "name": "张三", "id_number": ident}}


def _employee(ident: str) -> dict:
    body = hiring_body()
    body["facts"]["employee"] = {"id_number": ident, "name": "李四"}
    return body


@pytest.mark.parametrize(("field", "body", "message"), [
    ("claimant.id_number", _claimant(make_resident_id("621002", LATER, 1)), "birth date in the future"),
    ("facts.employee.id_number", _employee(make_resident_id("621002", LATER, 2)), "birth date in the future"),
    ("claimant.id_number", _claimant(make_resident_id("621099", date(1990, 1, 1), 1)), "not a GB/T 2260"),
    ("claimant.id_number", _claimant(make_resident_id("110103", date(2012, 1, 1), 1)), "abolished before the birth year"),
], ids=["future birth date", "future birth date of an employee", "no such division", "division gone before birth"])
def test_an_impossible_resident_id_is_a_422_naming_the_field(client, field, body, message):
    r = client.post("/v1/claims", json=body, headers={**auth(), "Idempotency-Key": f"rid-{field}-{message}"})
    assert r.status_code == 422, r.text
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert message in errors[field], errors


def test_a_person_born_before_their_division_was_created_is_accepted(client):
    body = _claimant(make_resident_id("621002", date(1991, 4, 12), 7))  # 庆阳市西峰区 is coded 621002 from 2002
    r = client.post("/v1/claims", json=body, headers={**auth(), "Idempotency-Key": "rid-ok"})
    assert r.status_code == 201, r.text


def test_the_future_is_judged_by_the_given_day():
    born = date(2030, 1, 2)
    ident = make_resident_id("621002", born, 4)
    assert validate_resident_id(ident, today=born) == ident  # born today
    with pytest.raises(ValueError, match="future"):
        validate_resident_id(ident, today=born - timedelta(days=1))
