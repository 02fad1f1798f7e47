from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import httpx
from sqlalchemy import func, select

from services.disbursement.db.batch_tables import PaymentRow
from tests.disbursement.factories import add_eligible, staged
from tests.live_server import serve
from tests.support import auth

# A client timeout well above a request's time under the suite's load: these tests judge outcomes, not latency.
CLIENT_TIMEOUT = 30


def _draft(base: str) -> str:
    return httpx.post(f"{base}/v1/batches", json={"fund": "unemployment_insurance"},
                      headers=auth("officer", "maker"), timeout=CLIENT_TIMEOUT).json()["batch_id"]


def _race(base: str, batch_id: str, officers: list[str]) -> list[httpx.Response]:
    barrier = Barrier(len(officers))

    def approve(who):  # type: ignore[no-untyped-def]
        barrier.wait()
        return httpx.post(f"{base}/v1/batches/{batch_id}/approve", headers=auth("officer", who), timeout=CLIENT_TIMEOUT)

    with ThreadPoolExecutor(len(officers)) as pool:
        return list(pool.map(approve, officers))


def _issued_once(engine, batch_id: str, count: int) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        payments = conn.execute(select(PaymentRow.claim_id).where(PaymentRow.batch_id == batch_id)).scalars().all()
    assert len(payments) == len(set(payments)) == count
    events = staged(engine, "grants.payment.issued")
    assert len(events) == len({e["data"]["payment_id"] for e in events}) == count
    assert len(staged(engine, "grants.batch.approved")) == 1


def test_two_officers_approving_one_batch_at_the_same_moment_issue_each_payment_once(app_with):
    app = app_with()
    engine = app.state.runtime.engine
    add_eligible(engine, 200)
    with serve(app) as base:
        batch_id = _draft(base)
        responses = _race(base, batch_id, ["checker-a", "checker-b"])
    assert [r.status_code for r in responses] == [200, 200]
    assert {r.json()["status"] for r in responses} == {"approved"}
    _issued_once(engine, batch_id, 200)


def test_racing_checkers_on_a_dual_approval_batch_each_sign_once_and_issue_once(app_with):
    app = app_with(grants_dual_approval_threshold="100.00")
    engine = app.state.runtime.engine
    add_eligible(engine, 50)
    with serve(app) as base:
        batch_id = _draft(base)
        responses = _race(base, batch_id, ["checker-a", "checker-b", "checker-c"])
    assert sorted(r.status_code for r in responses) == [200, 200, 200]
    assert sorted(r.json()["status"] for r in responses) == ["approved", "approved", "awaiting_second_approval"]
    _issued_once(engine, batch_id, 50)
    [approved] = staged(engine, "grants.batch.approved")
    assert len(set(approved["data"]["checkers"])) == 2
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PaymentRow)).scalar() == 50
