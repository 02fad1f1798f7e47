"""GET /v1/reports/fund-usage and GET /v1/quarantined-events."""

from tests.audit.domain.factories import EU, UI, outcome_event
from tests.audit.support import feed, judge_anomalies
from tests.audit.api.test_ledger_api import two_funds
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")


def test_fund_usage_totals_each_fund_and_programme_for_the_year(client, engine):
    feed(engine, two_funds())
    client.put(f"/v1/budgets/{EU}/2023", json={"amount": "50000.00"}, headers=auth("admin", "root"))
    body = client.get("/v1/reports/fund-usage", params={"year": 2023}, headers=AUDITOR).json()
    assert [(i["fund"], i["programme"], i["issued_count"], i["issued"], i["reversed"], i["net"], i["settled"])
            for i in body["items"]] == [(EU, "hiring", 3, "3006.00", "1002.00", "2004.00", "2004.00"),
                                        (UI, "skill_upgrade", 3, "3009.00", "0.00", "3009.00", "0.00")]
    assert [(f["fund"], f["net"], f["budget"]) for f in body["funds"]] == [(EU, "2004.00", "50000.00"),
                                                                          (UI, "3009.00", None)]
    assert client.get("/v1/reports/fund-usage", params={"year": 2024}, headers=AUDITOR).json()["items"] == []


def test_quarantined_events_are_listed_with_their_reason(client, engine):
    feed(engine, [outcome_event("p9")])
    items = client.get("/v1/quarantined-events", headers=AUDITOR).json()["items"]
    assert [(q["event_id"], q["reason"], q["payment_id"], q["released_at"]) for q in items] == [
        ("ev-settled-p9", "not_issued", "p9", None)]
    assert client.get("/v1/quarantined-events", params={"reason": "malformed"}, headers=AUDITOR).json()["items"] == []


def test_a_budget_set_by_finance_arrives_as_an_event_and_is_the_one_the_audit_checks(client, engine):
    feed(engine, two_funds())
    feed(engine, [{"specversion": "1.0", "id": "ev-budget-1", "source": "grants/disbursement",
                   "type": "grants.fund.budget_set", "time": "2023-01-02T08:00:00+08:00", "subject": EU,
                   "data": {"fund": EU, "year": 2023, "amount": "1000.00", "currency": "CNY",
                            "set_by": "admin-1", "set_at": "2023-01-02T08:00:00+08:00"}}])
    funds = client.get("/v1/reports/fund-usage", params={"year": 2023}, headers=AUDITOR).json()["funds"]
    assert [(f["fund"], f["budget"]) for f in funds] == [(EU, "1000.00"), (UI, None)]
    judge_anomalies(engine)  # the anomaly worker's round (its thread runs it after each consumed batch)
    rules = {f["rule"] for f in client.get("/v1/anomalies", headers=AUDITOR).json()["items"] if EU in f["detail"]}
    assert "fund_budget_exceeded" in rules  # 2004.00 net issued against 1000.00
