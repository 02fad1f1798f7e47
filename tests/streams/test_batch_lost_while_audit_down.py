"""A batch relayed while the audit's worker was down, then lost with the (in-memory) broker's restart:
the audit notices its log restarted below what it had applied, shows the lost stretch as a reconciliation
break until it is healed, asks disbursement for it again, and the batch ends in the ledger."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.audit.main import create_app as create_audit
from services.disbursement.db.tables import outbox
from shared.migrations import upgrade_service
from tests.audit.support import audit_settings
from tests.disbursement.factories import add_eligible
from tests.faults.conditions import wait_for
from tests.support import auth

MAKER, CHECKER, AUDITOR = auth("officer", "maker-1"), auth("officer", "checker-1"), auth("auditor", "auditor-1")


def _approve(api, count: int, start: int) -> str:  # type: ignore[no-untyped-def]
    add_eligible(api.app.state.runtime.engine, count, amount_fen=150000, start=start)
    batch_id = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
    assert api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).status_code == 200
    return batch_id


def _unpublished(api) -> int:  # type: ignore[no-untyped-def]
    with api.app.state.runtime.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))).scalar()


def _report(audit) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return audit.get("/v1/reports/reconciliation", headers=AUDITOR).json()


def _posted(audit, batch_id: str) -> tuple[int, str] | None:  # type: ignore[no-untyped-def]
    row = next((r for r in _report(audit)["batches"] if r["batch_id"] == batch_id), None)
    return (row["posted_count"], row["posted_total"]) if row else None


def _lost_stretches(audit) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    return [b for b in _report(audit)["breaks"] if b["kind"] == "approved_not_received"]


def test_a_batch_lost_with_the_broker_while_the_audit_was_down_is_a_break_until_it_reaches_the_ledger(
        restartable_broker, quick_stream_checks, topic_prefix, app_with, tmp_path, standards):
    audit_url = f"sqlite:///{tmp_path}/audit.db"
    upgrade_service("audit", audit_url)
    bootstrap = restartable_broker.bootstrap

    def audit_app():  # type: ignore[no-untyped-def]
        return create_audit(audit_settings(audit_url, bootstrap, topic_prefix), run_workers=True, standards=standards)

    with TestClient(app_with(run_workers=True, bootstrap=bootstrap, prefix=topic_prefix)) as api:
        first = _approve(api, 2, start=0)
        with TestClient(audit_app()) as audit:
            wait_for(lambda: _posted(audit, first) == (2, "3000.00"), timeout=60, what="the first batch in the ledger")
        lost = _approve(api, 4, start=100)  # the audit's worker is down
        wait_for(lambda: _unpublished(api) == 0, timeout=30, what="the second batch relayed")
    # disbursement is down too while the broker restarts, so the re-send waits until the break has been seen
    restartable_broker.restart()
    with TestClient(audit_app()) as audit:
        wait_for(lambda: bool(_lost_stretches(audit)), timeout=60, what="the lost stretch shown in the reconciliation")
        assert _posted(audit, lost) is None
        assert "approved but never received" in _lost_stretches(audit)[0]["detail"]
        with TestClient(app_with(run_workers=True, bootstrap=bootstrap, prefix=topic_prefix)):
            wait_for(lambda: _posted(audit, lost) == (4, "6000.00"), timeout=90, what="the lost batch in the ledger")
            wait_for(lambda: not _lost_stretches(audit), timeout=60, what="the break healed")
        report = _report(audit)
        assert {b["batch_id"]: b["breaks"] for b in report["batches"]} == {first: 0, lost: 0}
        assert report["breaks"] == []
        assert _posted(audit, first) == (2, "3000.00")
