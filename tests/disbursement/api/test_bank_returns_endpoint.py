import json

import pytest
from sqlalchemy import func, select

from services.disbursement.db.tables import outbox
from services.disbursement.domain.bank_returns import validate_pain002
from tests.disbursement.domain.test_bank_returns import Row, csv_file, pain002_file
from tests.disbursement.factories import add_eligible, staged, statuses
from tests.support import auth

MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")
NAME_IN_REASON = "Account of 王小明 closed"


@pytest.fixture
def issued(api, engine):  # type: ignore[no-untyped-def]
    """An approved batch of three 1500.00 payments: [(payment_id, claim_id), ...] in item order."""
    add_eligible(engine, 3, amount_fen=150000)
    batch_id = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
    items = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).json()["items"]
    return batch_id, [(i["payment_id"], i["claim_id"]) for i in items]


def _mixed(payments) -> list[Row]:  # type: ignore[no-untyped-def]
    (settle, _), (fail, _), (mismatch, _) = payments
    return [Row(settle, "SETTLED", "1500.00"),
            Row(fail, "FAILED", "1500.00", reason_code="AC04", reason=NAME_IN_REASON),
            Row("P" + "0" * 32, "SETTLED", "10.00"),
            Row(settle, "SETTLED", "1500.00"),
            Row(mismatch, "SETTLED", "1499.99")]


def _upload(api, data: bytes, content_type: str = "text/csv"):  # type: ignore[no-untyped-def]
    return api.post("/v1/bank-returns", content=data, headers={**CHECKER, "content-type": content_type})


def _outbox_rows(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox)).scalar()


def test_each_line_of_a_csv_return_gets_its_outcome_and_claims_follow(api, engine, issued):
    _, payments = issued
    r = _upload(api, csv_file(_mixed(payments)))
    assert r.status_code == 200, r.text
    report = r.json()
    assert [(line["line_no"], line["outcome"]) for line in report["lines"]] == [
        (2, "applied_settled"), (3, "applied_failed"), (4, "unknown_reference"), (5, "duplicate_in_file"),
        (6, "amount_mismatch")]
    assert report["applied"] == 2 and report["format"] == "csv"
    claims = [claim for _, claim in payments]
    assert statuses(engine, claims) == {claims[0]: "paid", claims[1]: "payment_failed", claims[2]: "payment_issued"}
    [settled], [failed] = staged(engine, "grants.payment.settled"), staged(engine, "grants.payment.failed")
    assert settled["data"]["payment_id"] == payments[0][0] and settled["data"]["settled_at"]
    assert (failed["data"]["payment_id"], failed["data"]["reason_code"]) == (payments[1][0], "AC04")


def test_the_banks_free_text_reason_never_reaches_an_event_or_the_stored_report(api, engine, issued):
    _, payments = issued
    upload_id = _upload(api, csv_file(_mixed(payments))).json()["upload_id"]
    with engine.connect() as conn:
        payloads = " ".join(conn.execute(select(outbox.c.payload)).scalars())
    assert "王小明" not in payloads
    assert "王小明" not in json.dumps(api.get(f"/v1/bank-returns/{upload_id}", headers=CHECKER).json(),
                                     ensure_ascii=False)


def test_replaying_the_same_return_file_changes_nothing(api, engine, issued):
    _, payments = issued
    data = csv_file(_mixed(payments))
    _upload(api, data)
    before = (_outbox_rows(engine), statuses(engine, [c for _, c in payments]))
    again = _upload(api, data).json()
    assert again["applied"] == 0
    assert [line["outcome"] for line in again["lines"]] == [
        "already_recorded", "already_recorded", "unknown_reference", "duplicate_in_file", "amount_mismatch"]
    assert (_outbox_rows(engine), statuses(engine, [c for _, c in payments])) == before


def test_a_pain002_report_of_the_batch_is_applied_by_end_to_end_id(api, engine, issued):
    batch_id, payments = issued
    data = pain002_file([Row(payments[0][0], "SETTLED", "1500.00"),
                         Row(payments[1][0], "FAILED", "1500.00", reason_code="AC04")], original_message_id=batch_id)
    assert validate_pain002(data) == []
    r = _upload(api, data, "application/xml")
    assert [line["outcome"] for line in r.json()["lines"]] == ["applied_settled", "applied_failed"]
    assert r.json()["original_message_id"] == batch_id


def test_a_pain002_report_applies_only_to_the_batch_it_answers(api, engine, issued):
    _, payments = issued
    add_eligible(engine, 1, start=50)
    other = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
    api.post(f"/v1/batches/{other}/approve", headers=CHECKER)
    report = _upload(api, pain002_file([Row(payments[0][0], "SETTLED", "1500.00")], original_message_id=other),
                     "application/xml").json()
    assert report["applied"] == 0 and report["lines"][0]["outcome"] == "unknown_reference"
    assert "belongs to batch" in report["lines"][0]["message"]
    stranger = _upload(api, pain002_file([Row(payments[0][0], "SETTLED", "1500.00")], original_message_id="B-NOT-OURS"),
                       "application/xml").json()
    assert [line["outcome"] for line in stranger["lines"]] == ["invalid", "unknown_reference"]


def test_an_unreadable_file_is_reported_never_crashes(api, issued):
    r = _upload(api, b"\x00\xffnot a bank file at all", "application/octet-stream")
    assert r.status_code == 200 and r.json()["applied"] == 0 and r.json()["lines"][0]["outcome"] == "invalid"
    assert _upload(api, b"   ").status_code == 422
    assert _upload(api, b"a,b", "application/json").status_code == 422


def test_only_officers_upload_returns(api, issued):
    assert api.post("/v1/bank-returns", content=b"x", headers={**auth("auditor", "a"), "content-type": "text/csv"}
                    ).status_code == 403
