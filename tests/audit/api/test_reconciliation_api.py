"""GET /v1/reports/reconciliation: every break of a scenario, once, in JSON and in CSV."""

import csv
import io

from services.audit.domain.events import parse_event
from tests.audit.domain.factories import UI, batch_event, issued_event, outcome_event
from tests.audit.support import feed
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")


def scenario() -> list[dict]:
    """Batch b1 approves p1..p4; p2's issue is dropped, p3's issue is sent twice (two ids), p4 fails."""
    issued = {p: issued_event(p) for p in ("p1", "p2", "p3", "p4")}
    approval = batch_event("b1", [parse_event(e) for e in issued.values()])  # type: ignore[misc]
    duplicate = issued_event("p3", event_id="ev-issued-p3-resent")
    return [approval, issued["p1"], issued["p3"], duplicate, issued["p4"], outcome_event("p1"), outcome_event("p3"),
            outcome_event("p4", settled=False)]


def test_a_dropped_a_duplicated_and_a_failed_payment_are_exactly_the_three_breaks(client, engine):
    feed(engine, scenario())
    body = client.get("/v1/reports/reconciliation", headers=AUDITOR).json()
    assert sorted((b["kind"], b["payment_id"]) for b in body["breaks"]) == [
        ("duplicate_issued_event", "p3"), ("missing_issued_event", "p2"), ("settlement_failed", "p4")]
    (batch,) = body["batches"]
    assert (batch["batch_id"], batch["approved_count"], batch["approved_total"]) == ("b1", 4, "6000.00")
    assert (batch["issued_count"], batch["posted_count"], batch["settled_count"], batch["failed_count"]) == (3, 3, 2, 1)
    assert (batch["settled_total"], batch["breaks"]) == ("3000.00", 3)
    assert [(f["fund"], f["breaks"]) for f in body["funds"]] == [(UI, 3)]


def test_the_csv_holds_the_same_rows_as_the_json(client, engine):
    feed(engine, scenario())
    body = client.get("/v1/reports/reconciliation", headers=AUDITOR).json()
    response = client.get("/v1/reports/reconciliation", headers={**AUDITOR, "Accept": "text/csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    csv_breaks = [(r["kind"], r["payment_id"], r["batch_id"], r["fund"], r["detail"])
                  for r in rows if r["record"] == "break"]
    assert csv_breaks == [(b["kind"], b["payment_id"] or "", b["batch_id"] or "", b["fund"], b["detail"])
                          for b in body["breaks"]]
    for record, json_rows in (("fund", body["funds"]), ("batch", body["batches"])):
        csv_rows = [r for r in rows if r["record"] == record]
        assert [(r["batch_id"], r["approved_total"], r["issued_count"], r["settled_total"], r["breaks"])
                for r in csv_rows] == [(j["batch_id"] or "", j["approved_total"], str(j["issued_count"]),
                                        j["settled_total"], str(j["breaks"])) for j in json_rows]


def test_a_settlement_never_issued_is_reported_from_quarantine(client, engine):
    feed(engine, [outcome_event("p9")])
    body = client.get("/v1/reports/reconciliation", headers=AUDITOR).json()
    assert [(b["kind"], b["payment_id"]) for b in body["breaks"]] == [("settled_not_issued", "p9")]


def test_the_window_and_the_fund_select_what_is_reconciled(client, engine):
    feed(engine, scenario())
    outside = client.get("/v1/reports/reconciliation", params={"from": "2023-11-02"}, headers=AUDITOR).json()
    assert (outside["batches"], outside["breaks"]) == ([], [])
    inside = client.get("/v1/reports/reconciliation", params={"from": "2023-11-01", "to": "2023-11-01"},
                        headers=AUDITOR).json()
    assert len(inside["breaks"]) == 3
    other_fund = client.get("/v1/reports/reconciliation", params={"fund": "employment_subsidy"}, headers=AUDITOR)
    assert other_fund.json()["breaks"] == []
    bad = client.get("/v1/reports/reconciliation", params={"from": "2023-13-01"}, headers=AUDITOR)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "from"
