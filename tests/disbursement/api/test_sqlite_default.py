"""The embedded default (SQLite, what `make demo` runs on) carries the whole batch flow too."""

from fastapi.testclient import TestClient

from services.disbursement.main import create_app
from shared.migrations import upgrade_service
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.disbursement.factories import add_eligible, finance_settings, statuses
from tests.support import auth


def test_draft_approve_and_bank_return_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path}/disbursement.db"
    upgrade_service("disbursement", url)
    with TestClient(create_app(finance_settings(url), run_workers=False)) as api:
        engine = api.app.state.runtime.engine
        claims = add_eligible(engine, 3)
        batch_id = api.post("/v1/batches", json={"fund": "unemployment_insurance"},
                            headers=auth("officer", "maker")).json()["batch_id"]
        items = api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "checker")).json()["items"]
        report = api.post("/v1/bank-returns", content=csv_file([Row(items[0]["payment_id"], "SETTLED", "1500.00")]),
                          headers={**auth("officer", "checker"), "content-type": "text/csv"}).json()
    assert report["applied"] == 1
    assert sorted(statuses(engine, claims).values()) == ["paid", "payment_issued", "payment_issued"]
