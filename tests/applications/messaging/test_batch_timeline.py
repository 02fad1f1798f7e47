from services.applications.messaging import claim_status_events
from shared.db import unit_of_work
from shared.events import (
    CLAIM_BATCHED,
    CLAIM_DECIDED,
    CLAIM_UNBATCHED,
    PAYMENT_FAILED,
    PAYMENT_ISSUED,
    PAYMENT_SETTLED,
    new_event,
)
from tests.applications.messaging.timeline_support import deliver
from tests.support import auth, skill_upgrade_body


def _claim(client) -> str:  # type: ignore[no-untyped-def]
    filed = client.post("/v1/claims", json=skill_upgrade_body(), headers={**auth(), "Idempotency-Key": "t"})
    return filed.json()["claim_id"]


def _statuses(client, claim_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [h["status"] for h in client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["history"]]


def test_a_batched_claim_is_in_batch_and_back_to_eligible_when_unbatched(client):
    claim_id = _claim(client)
    deliver(client.app.state.runtime.engine, claim_id, CLAIM_DECIDED, CLAIM_BATCHED, CLAIM_UNBATCHED, CLAIM_BATCHED)
    assert _statuses(client, claim_id) == ["submitted", "eligible", "in_batch", "eligible", "in_batch"]


def test_a_claim_follows_its_payment_to_paid(client):
    claim_id = _claim(client)
    deliver(client.app.state.runtime.engine, claim_id, CLAIM_DECIDED, CLAIM_BATCHED, PAYMENT_ISSUED, PAYMENT_SETTLED)
    assert _statuses(client, claim_id)[-3:] == ["in_batch", "payment_issued", "paid"]


def test_a_batched_event_arriving_after_the_payment_changes_nothing(client):
    claim_id = _claim(client)  # the payments topic may be read before the claims topic
    deliver(client.app.state.runtime.engine, claim_id, CLAIM_DECIDED, PAYMENT_ISSUED, CLAIM_BATCHED)
    assert client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["status"] == "payment_issued"


def test_a_failed_payment_shows_the_banks_reason_code(client):
    claim_id = _claim(client)
    deliver(client.app.state.runtime.engine, claim_id, CLAIM_DECIDED, CLAIM_BATCHED, PAYMENT_ISSUED, PAYMENT_FAILED)
    history = client.get(f"/v1/claims/{claim_id}", headers=auth()).json()["history"]
    assert (history[-1]["status"], history[-1]["detail"]) == ("payment_failed", "bank reason AC04")


def test_moves_polled_together_leave_the_claim_as_moves_polled_one_by_one(client):
    engine = client.app.state.runtime.engine
    apart, together = _claim(client), client.post("/v1/claims", json=skill_upgrade_body(2),
                                                  headers={**auth(), "Idempotency-Key": "t2"}).json()["claim_id"]
    moves = (CLAIM_DECIDED, CLAIM_BATCHED, CLAIM_UNBATCHED, CLAIM_BATCHED, PAYMENT_ISSUED, CLAIM_BATCHED)
    deliver(engine, apart, *moves)
    deliver(engine, together, *moves, together=True)
    views = [client.get(f"/v1/claims/{c}", headers=auth()).json() for c in (apart, together)]
    assert views[1]["status"] == views[0]["status"] == "payment_issued"
    assert views[1]["decision"] == views[0]["decision"] is not None
    assert [h["status"] for h in views[1]["history"]] == [h["status"] for h in views[0]["history"]] == [
        "submitted", "eligible", "in_batch", "eligible", "in_batch", "payment_issued"]


def test_the_payee_correction_of_a_failed_batch_frees_the_claim_and_that_batch_s_late_events_stay_stale(client):
    claim_id, engine = _claim(client), client.app.state.runtime.engine
    deliver(engine, claim_id, CLAIM_DECIDED)
    moves = [(PAYMENT_ISSUED, {"payment_id": "P1", "batch_id": "B1"}),
             (PAYMENT_FAILED, {"payment_id": "P1", "batch_id": "B1", "reason_code": "AC04"}),
             (CLAIM_UNBATCHED, {"batch_id": "B1", "reason": "payee_corrected"}),
             (CLAIM_BATCHED, {"batch_id": "B1"})]  # the first batch's own batched event, late
    for event_type, data in moves:
        with unit_of_work(engine) as session:
            claim_status_events.apply_events(session, [new_event(event_type, "grants/disbursement", claim_id,
                                                                 {"claim_id": claim_id, **data})])
    assert _statuses(client, claim_id) == ["submitted", "eligible", "payment_issued", "payment_failed", "eligible"]
