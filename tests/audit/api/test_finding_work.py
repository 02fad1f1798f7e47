"""Auditors work their findings: statuses with history, recoveries, the system closing what no longer holds,
and the anomaly worker judging only what changed."""

from datetime import UTC, datetime, timedelta

from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.service.anomaly_sweep import run_round
from tests.audit.domain.factories import T0, UI, batch_event, issued, issued_event, outcome_event
from tests.audit.support import feed, judge_anomalies
from tests.support import auth

AUDITOR, OTHER_AUDITOR = auth("auditor", "auditor-1"), auth("auditor", "auditor-2")


def only(client, **params) -> dict:  # type: ignore[no-untyped-def]
    [finding] = client.get("/v1/anomalies", params=params, headers=AUDITOR).json()["items"]
    return finding


def test_an_auditor_works_a_finding_and_every_change_is_kept(client, engine):
    feed(engine, [issued_event("p1"), issued_event("p3", amount="2500.00")])  # level 4 pays 1500.00
    finding = only(client, rule="amount_not_standard", status="open")  # judged in the ingest transaction
    assert (finding["status"], finding["payment_ids"]) == ("open", ["p3"])
    url = f"/v1/anomalies/{finding['finding_key']}"
    seen = client.post(f"{url}/status", json={"status": "acknowledged", "note": "asked the bureau for the file"},
                       headers=AUDITOR)
    assert seen.status_code == 200 and seen.json()["status"] == "acknowledged"
    done = client.post(f"{url}/status", json={"status": "resolved", "note": "overpayment recovered"},
                       headers=OTHER_AUDITOR).json()
    assert (done["status"], done["status_by"], done["status_note"]) == ("resolved", "auditor-2", "overpayment recovered")
    assert [(h["from_status"], h["status"], h["actor"], h["note"]) for h in client.get(url, headers=AUDITOR).json()[
        "history"]] == [("open", "acknowledged", "auditor-1", "asked the bureau for the file"),
                        ("acknowledged", "resolved", "auditor-2", "overpayment recovered")]
    assert client.get("/v1/anomalies", params={"status": "open"}, headers=AUDITOR).json()["items"] == []
    assert only(client, status="resolved")["finding_key"] == finding["finding_key"]
    again = client.post(f"{url}/status", json={"status": "resolved", "note": "again"}, headers=AUDITOR)
    assert again.status_code == 409
    assert client.post(f"{url}/status", json={"status": "closed", "note": "x"}, headers=AUDITOR).status_code == 422
    assert client.post(f"{url}/status", json={"status": "open", "note": "x"},
                       headers=auth("officer", "officer-1")).status_code == 403
    assert client.post(f"{url}/status", json={"status": "open", "note": "x"},
                       headers=auth("admin", "root")).status_code == 403
    assert client.get("/v1/anomalies/" + "0" * 64, headers=AUDITOR).status_code == 404
    assert client.get("/v1/anomalies", params={"status": "done"}, headers=AUDITOR).status_code == 422


def test_a_recovery_is_recorded_against_the_finding_with_the_entry_that_returns_it(client, engine):
    feed(engine, [issued_event("p3", amount="2500.00")])
    url = f"/v1/anomalies/{only(client, rule='amount_not_standard')['finding_key']}"
    [entry] = client.get("/v1/ledger/entries", params={"payment_id": "p3"}, headers=AUDITOR).json()["items"]
    recovered = client.post(f"{url}/recoveries", json={"amount": "1000.00", "entry_id": entry["entry_id"],
                                                       "note": "追回 overpaid level-4 subsidy"}, headers=AUDITOR)
    assert recovered.status_code == 201
    body = client.get(url, headers=AUDITOR).json()
    assert body["recovered"] == "1000.00"
    assert [(r["amount"], r["entry_id"], r["recorded_by"]) for r in body["recoveries"]] == [
        ("1000.00", entry["entry_id"], "auditor-1")]
    assert client.post(f"{url}/recoveries", json={"amount": "10.00", "entry_id": "nope"},
                       headers=AUDITOR).status_code == 422
    assert client.post(f"{url}/recoveries", json={"amount": "0.00", "entry_id": entry["entry_id"]},
                       headers=AUDITOR).status_code == 422


def test_a_finding_whose_condition_no_longer_holds_is_closed_by_the_system(client, engine):
    later = (T0 + timedelta(days=1)).isoformat()
    feed(engine, [issued_event("p1"), issued_event("p2", qualifying_key="cert-p1|4-07-01-02|4", issued_at=later)])
    judge_anomalies(engine)
    duplicate = only(client, rule="duplicate_qualifying_key")
    not_set = only(client, rule="fund_budget_not_set")
    assert duplicate["status"] == not_set["status"] == "open"
    feed(engine, [outcome_event("p1", settled=False)])  # the first grant failed: the second is no duplicate
    client.put(f"/v1/budgets/{UI}/2023", json={"amount": "100000.00"}, headers=auth("admin", "root"))
    judge_anomalies(engine)
    for closed in (duplicate, not_set):
        body = client.get(f"/v1/anomalies/{closed['finding_key']}", headers=AUDITOR).json()
        assert (body["status"], body["status_by"]) == ("resolved", "system")
        assert body["history"][-1]["note"] == "condition no longer holds on the events received so far"
    assert client.get("/v1/anomalies", params={"status": "open"}, headers=AUDITOR).json()["items"] == []


def test_a_round_judges_only_the_groups_the_new_events_joined(engine, standards):
    events = [issued_event(f"p{i}", claim_id=f"c{i}") for i in range(40)]
    feed(engine, events + [batch_event("b1", [issued(f"p{i}") for i in range(40)])])
    past_grace = datetime.now(UTC) + timedelta(hours=1)  # the approval reached the audit more than 15 minutes ago
    first = run_round(engine, standards, RuleParameters(), now=past_grace)
    # each payment's qualifying key, person, personal payee and payee account; the fund-year; the maker
    assert first.scopes == 40 * 4 + 1 + 1
    assert first.batches == 1
    assert run_round(engine, standards, RuleParameters(), now=past_grace).scopes == 0  # nothing new: nothing judged
    feed(engine, [issued_event("p99", batch_id="b2")])
    later = run_round(engine, standards, RuleParameters(), now=past_grace)
    assert (later.scopes, later.batches) == (5, 0)  # p99's five groups, whatever came before; b2 has no approval
    assert later.new == 0
