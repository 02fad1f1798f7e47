"""Events consumed from the real broker: anomaly rules fire with their clause, redelivery changes nothing."""

from sqlalchemy import select
from sqlmodel import Session

from services.audit.db.ledger_reads import iter_chain
from services.audit.db.tables import FindingRow
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE
from services.audit.service.ledger_verification import verify_ledger
from tests.audit.domain.factories import EU, UI, clean_stream, issued_event, outcome_event, ref
from tests.audit.support import (all_processed, anomaly_worker, consuming, judge_anomalies, processed, produce,
                                 send_markers, wait_for)
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")


def anomalous_stream() -> list[dict]:
    """One clean payment and one of each kind of anomaly, in the qingyang-2023 catalog's terms."""
    worker = ref("hired-person")
    return [
        issued_event("p1"),  # skill_upgrade level 4, 1500.00: by the book
        issued_event("p2", qualifying_key="cert-p1|4-07-01-02|4"),  # the same certificate paid twice
        issued_event("p3", amount="2500.00"),  # standard for level 4 is 1500.00
        issued_event("p4", programme="hiring", fund=UI, amount="1000.00", tier=None, clause="qingyang-2023 §8",
                     beneficiary_kind="organisation"),  # hiring is paid by employment_subsidy
        issued_event("p5", programme="hiring", fund=EU, amount="1000.00", tier=None, clause="qingyang-2023 §8",
                     subject_ref=worker, beneficiary_kind="organisation", qualifying_key="hire-1"),
        issued_event("p6", programme="job_expansion", fund=UI, amount="1500.00", tier=None, clause="qingyang-2023 §8",
                     subject_ref=worker, beneficiary_kind="organisation", qualifying_key="hire-2"),  # excludes p5
        issued_event("p7", qualifying_date="2024-02-01"),  # after the policy ended
        issued_event("p8", batch_id="b2", maker="officer-z", checker="officer-z"),  # four eyes, one person
        outcome_event("p1"),
    ]


def test_anomaly_rules_fire_with_their_clause_on_a_stream_consumed_from_the_broker(
        broker, topic_prefix, client, engine, standards):
    events = anomalous_stream()
    conflicting = issued_event("p1", amount="1.00")  # ev-issued-p1 again, other content
    produce(broker, topic_prefix, events + [conflicting])
    client.put(f"/v1/budgets/{UI}/2023", json={"amount": "2000.00"}, headers=auth("admin", "root"))
    expected = {"duplicate_qualifying_key", "amount_not_standard", "fund_not_for_programme", "exclusive_pair_both_paid",
                "qualifying_date_outside_period", "maker_is_checker", "fund_budget_exceeded", "fund_budget_not_set",
                "event_payload_conflict"}

    def rules() -> set[str]:
        with engine.connect() as conn:
            return set(conn.execute(select(FindingRow.__table__.c.rule)).scalars())

    # the anomaly worker in its own thread, woken after every consumed batch
    with anomaly_worker(engine, standards) as sweep, consuming(engine, broker, topic_prefix, on_batch_committed=sweep):
        wait_for(lambda: processed(engine) == len(events) and rules() >= expected, what="findings of every rule",
                 describe=rules)
    findings = client.get("/v1/anomalies", params={"limit": 500}, headers=AUDITOR).json()["items"]
    by_rule = {f["rule"]: f for f in findings}
    assert set(by_rule) == expected
    assert (by_rule["duplicate_qualifying_key"]["clause"], by_rule["duplicate_qualifying_key"]["payment_ids"]) == (
        "qingyang-2023 §18", ["p1", "p2"])
    assert (by_rule["exclusive_pair_both_paid"]["clause"], by_rule["exclusive_pair_both_paid"]["payment_ids"]) == (
        "qingyang-2023 §8", ["p5", "p6"])
    assert by_rule["qualifying_date_outside_period"]["clause"] == "qingyang-2023 §18"
    for rule in ("amount_not_standard", "fund_not_for_programme", "maker_is_checker", "event_payload_conflict"):
        assert by_rule[rule]["clause"] == FUND_SUPERVISION_CLAUSE, rule
    assert by_rule["amount_not_standard"]["payment_ids"] == ["p3"]
    assert by_rule["event_payload_conflict"]["payment_ids"] == ["p1"]
    high = client.get("/v1/anomalies", params={"severity": "high", "rule": "maker_is_checker"}, headers=AUDITOR)
    assert [f["payment_ids"] for f in high.json()["items"]] == [["p8"]]


def test_every_event_delivered_twice_more_leaves_the_ledger_identical(broker, topic_prefix, engine):
    stream = clean_stream(60, seed=3)
    events = stream.batches + stream.issued
    events += [outcome_event(e["data"]["payment_id"], fund=e["data"]["fund"], amount=e["data"]["amount"],
                             batch_id=e["data"]["batch_id"], settled=i % 7 != 0) for i, e in enumerate(stream.issued)]

    def snapshot():  # type: ignore[no-untyped-def]
        with Session(engine) as session:
            return list(iter_chain(session)), verify_ledger(session)

    with consuming(engine, broker, topic_prefix):
        produce(broker, topic_prefix, events)
        wait_for(lambda: processed(engine) == len(events), what="first pass")
        entries, result = snapshot()
        produce(broker, topic_prefix, events + events)  # every event redelivered twice
        markers = send_markers(broker, topic_prefix)
        wait_for(lambda: all_processed(engine, markers), what="redeliveries consumed")
    again, result_again = snapshot()
    assert len(entries) == 2 * len(stream.issued) and result.ok
    assert again == entries
    assert (result_again.ok, result_again.head) == (True, result.head)


def test_no_rule_fires_on_a_clean_stream_of_a_thousand_varied_payments_consumed_from_the_broker(
        broker, topic_prefix, client, engine, standards):
    stream = clean_stream(1000, seed=11)
    events = stream.batches + stream.issued
    for year in {e["data"]["qualifying_date"][:4] for e in stream.issued}:
        for fund in (EU, UI):
            client.put(f"/v1/budgets/{fund}/{year}", json={"amount": "100000000.00"}, headers=auth("admin", "root"))
    with anomaly_worker(engine, standards) as sweep, consuming(engine, broker, topic_prefix, on_batch_committed=sweep):
        produce(broker, topic_prefix, events)
        wait_for(lambda: processed(engine) == len(events), timeout=120, what="the clean stream")
    judge_anomalies(engine)
    findings = client.get("/v1/anomalies", params={"limit": 500}, headers=AUDITOR).json()["items"]
    assert findings == []
    assert client.get("/v1/ledger/verify", headers=AUDITOR).json()["entries"] == len(stream.issued)
