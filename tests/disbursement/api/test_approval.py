import re

from fastapi.testclient import TestClient

from sqlalchemy import func, select

from services.disbursement.db.batch_tables import PaymentRow
from services.disbursement.db.tables import outbox
from tests.disbursement.factories import add_eligible, staged, statuses
from tests.support import auth

MAKER, CHECKER, SECOND = auth("officer", "maker-1"), auth("officer", "checker-1"), auth("officer", "checker-2")


def _drafted(api, engine, count=3, amount_fen=150000):  # type: ignore[no-untyped-def]
    claims = add_eligible(engine, count, amount_fen=amount_fen)
    return api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"], claims


def _outbox_rows(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox)).scalar()


def test_the_maker_approving_their_own_batch_gets_403(api, engine):
    batch_id, claims = _drafted(api, engine)
    r = api.post(f"/v1/batches/{batch_id}/approve", headers=MAKER)
    assert r.status_code == 403 and r.json()["type"].endswith("/maker-cannot-approve")
    assert set(statuses(engine, claims).values()) == {"in_batch"}


def test_nobody_acting_with_the_makers_subject_may_approve(api, engine):
    batch_id, _ = _drafted(api, engine)
    assert api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "MAKER-1")).status_code == 403
    assert api.post(f"/v1/batches/{batch_id}/approve", headers=auth("admin", "maker-1")).status_code == 403


def test_approval_issues_one_payment_per_item_with_its_events_in_the_same_transaction(api, engine):
    batch_id, claims = _drafted(api, engine)
    r = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
    assert r.status_code == 200, r.text
    batch = r.json()
    assert batch["status"] == "approved" and batch["approvals"][0]["checker"] == "checker-1"
    assert set(statuses(engine, claims).values()) == {"payment_issued"}
    issued = staged(engine, "grants.payment.issued")
    payment_ids = [i["payment_id"] for i in batch["items"]]
    assert sorted(e["data"]["payment_id"] for e in issued) == sorted(payment_ids)
    assert all(re.fullmatch(r"P[0-9a-f]{32}", p) for p in payment_ids)
    data = issued[0]["data"]
    assert {"payment_id", "claim_id", "batch_id", "programme", "policy_id", "clause", "fund", "amount", "currency",
            "beneficiary_ref", "payee_ref", "qualifying_key", "qualifying_date", "maker", "checker", "issued_at",
            "subject_ref", "tier", "units", "checker_role", "beneficiary_kind", "checkers"} <= set(data)
    assert (data["maker"], data["checker"], data["checker_role"], data["beneficiary_kind"]) == \
        ("maker-1", "checker-1", "officer", "person")
    [approved] = staged(engine, "grants.batch.approved")
    assert (approved["data"]["count"], approved["data"]["total"]) == (3, "4500.00")
    assert sorted(approved["data"]["payment_ids"]) == sorted(payment_ids)


def test_approving_an_approved_batch_again_changes_nothing(api, engine):
    batch_id, _ = _drafted(api, engine)
    first = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).json()
    rows = _outbox_rows(engine)
    for headers in (CHECKER, SECOND):
        again = api.post(f"/v1/batches/{batch_id}/approve", headers=headers)
        assert again.status_code == 200 and again.json()["items"] == first["items"]
    assert _outbox_rows(engine) == rows
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PaymentRow)).scalar() == 3


def test_a_batch_over_the_threshold_needs_a_second_distinct_checker(app_with):
    with TestClient(app_with(grants_dual_approval_threshold="4000.00")) as api:
        engine = api.app.state.runtime.engine
        batch_id, claims = _drafted(api, engine)  # 4500.00
        first = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
        assert first.status_code == 200 and first.json()["status"] == "awaiting_second_approval"
        assert first.json()["checkers_required"] == 2
        assert staged(engine, "grants.payment.issued") == [] and set(statuses(engine, claims).values()) == {"in_batch"}
        same = api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "Checker-1"))
        assert same.status_code == 403 and same.json()["type"].endswith("/checker-already-approved")
        second = api.post(f"/v1/batches/{batch_id}/approve", headers=SECOND)
        assert second.status_code == 200 and second.json()["status"] == "approved"
        assert [a["checker"] for a in second.json()["approvals"]] == ["checker-1", "checker-2"]
        [approved] = staged(engine, "grants.batch.approved")
        assert approved["data"]["checkers"] == ["checker-1", "checker-2"]
        assert len(staged(engine, "grants.payment.issued")) == 3


def test_an_officer_cannot_approve_past_their_daily_limit(app_with):
    with TestClient(app_with(grants_officer_daily_limit="5000.00")) as api:
        engine = api.app.state.runtime.engine
        first, _ = _drafted(api, engine, count=2, amount_fen=200000)  # 4000.00
        assert api.post(f"/v1/batches/{first}/approve", headers=CHECKER).status_code == 200
        second, _ = _drafted(api, engine, count=1, amount_fen=150000)
        r = api.post(f"/v1/batches/{second}/approve", headers=CHECKER)
        assert r.status_code == 409 and r.json()["type"].endswith("/daily-limit-exceeded")
        assert (r.json()["daily_limit"], r.json()["approved_today"], r.json()["batch_total"]) == \
            ("5000.00", "4000.00", "1500.00")
        assert api.post(f"/v1/batches/{second}/approve", headers=SECOND).status_code == 200


def test_rejection_returns_the_items_to_eligible_and_records_why(api, engine):
    batch_id, claims = _drafted(api, engine)
    r = api.post(f"/v1/batches/{batch_id}/reject", json={"reason": "wrong period"}, headers=CHECKER)
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert set(statuses(engine, claims).values()) == {"eligible"}
    last = r.json()["history"][-1]
    assert (last["action"], last["actor"], last["reason"], last["from_status"]) == \
        ("rejected", "checker-1", "wrong period", "draft")
    assert sorted(e["data"]["claim_id"] for e in staged(engine, "grants.claim.unbatched")) == sorted(claims)
    assert api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).status_code == 409
    again = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER)
    assert again.status_code == 201 and again.json()["count"] == 3


def test_an_approved_batch_cannot_be_rejected(api, engine):
    batch_id, _ = _drafted(api, engine)
    api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
    assert api.post(f"/v1/batches/{batch_id}/reject", json={"reason": "late"}, headers=SECOND).status_code == 409


def test_every_transition_is_in_the_batch_history_with_who_and_when(app_with):
    with TestClient(app_with(grants_dual_approval_threshold="1.00")) as api:
        batch_id, _ = _drafted(api, api.app.state.runtime.engine)
        api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
        history = api.post(f"/v1/batches/{batch_id}/approve", headers=SECOND).json()["history"]
    assert [(h["action"], h["actor"], h["to_status"]) for h in history] == [
        ("drafted", "maker-1", "draft"), ("approval_recorded", "checker-1", "awaiting_second_approval"),
        ("approved", "checker-2", "approved")]
    assert all(h["at"] for h in history)


def test_only_officers_draft_and_approve(api, engine):
    batch_id, _ = _drafted(api, engine)
    assert api.post(f"/v1/batches/{batch_id}/approve", headers=auth("auditor", "a")).status_code == 403
    by_applicant = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=auth("applicant", "x"))
    assert by_applicant.status_code == 403
    assert api.get(f"/v1/batches/{batch_id}").status_code == 401
    assert api.get("/v1/batches/Bnope", headers=CHECKER).status_code == 404


def test_an_officer_with_a_limit_of_their_own_is_held_to_it(app_with):
    with TestClient(app_with(grants_officer_daily_limits={"checker-1": "1000.00"})) as api:
        batch_id, _ = _drafted(api, api.app.state.runtime.engine)  # 4500.00
        r = api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
        assert r.status_code == 409 and r.json()["daily_limit"] == "1000.00"
        limits = api.get("/v1/funds", headers=CHECKER).json()["approval_limits"]
        assert (limits["your_daily_limit"], limits["officer_daily_limits"]) == ("1000.00", {"checker-1": "1000.00"})
        assert api.post(f"/v1/batches/{batch_id}/approve", headers=SECOND).status_code == 200
