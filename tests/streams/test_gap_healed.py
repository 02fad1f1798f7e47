"""A record lost in the middle of a producer's stream (published, yet never in the log): the audit notices the
gap in disbursement's sequence, shows it as a break, asks for the stretch again, and the payment is posted."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from services.audit.main import create_app as create_audit
from services.disbursement.db.tables import outbox
from shared.events import PAYMENT_ISSUED
from shared.migrations import upgrade_service
from shared.relay import OutboxRelay
from shared.stream_repo import assign_sequences
from tests.audit.support import audit_settings
from tests.faults.conditions import wait_for
from tests.streams.test_batch_lost_while_audit_down import AUDITOR, _approve, _lost_stretches, _posted, _report


def test_a_record_lost_mid_stream_is_a_break_until_the_producer_has_sent_it_again(
        broker, quick_stream_checks, topic_prefix, app_with, tmp_path, standards):
    audit_url = f"sqlite:///{tmp_path}/audit.db"
    upgrade_service("audit", audit_url)
    with TestClient(app_with(bootstrap=broker, prefix=topic_prefix)) as api:  # no workers: we relay by hand
        engine = api.app.state.runtime.engine
        batch = _approve(api, 3, start=0)
        assign_sequences(engine, outbox, 1000)
        with engine.begin() as conn:  # the broker "loses" the batch's second payment: marked sent, never in the log
            issued = conn.execute(select(outbox.c.id, outbox.c.sequence).where(
                outbox.c.payload.contains(f'"type":"{PAYMENT_ISSUED}"')).order_by(outbox.c.sequence)).all()
            conn.execute(update(outbox).where(outbox.c.id == issued[1].id).values(published_at=datetime.now(UTC)))
        relay = OutboxRelay(engine, outbox, broker, topic_prefix)
        while relay.relay_once():
            pass
        relay._drop_producer()
    with TestClient(create_audit(audit_settings(audit_url, broker, topic_prefix), run_workers=True,
                                 standards=standards)) as audit:
        wait_for(lambda: bool(_lost_stretches(audit)), timeout=60, what="the gap shown in the reconciliation")
        (stretch,) = _lost_stretches(audit)
        assert f"payments.v1 from sequence {issued[1].sequence} to {issued[1].sequence}" in stretch["detail"]
        assert _posted(audit, batch) == (2, "3000.00")
        with TestClient(app_with(run_workers=True, bootstrap=broker, prefix=topic_prefix)):  # serves the request
            wait_for(lambda: _posted(audit, batch) == (3, "4500.00"), timeout=60, what="the lost payment posted")
            wait_for(lambda: not _lost_stretches(audit), timeout=30, what="the gap healed")
        assert _report(audit)["breaks"] == []
        metrics = audit.get("/metrics", headers=AUDITOR).text
        assert 'grants_stream_breaks_total{consumer="audit.ledger",kind="gap",service="audit",topic="payments.v1"}' \
            in metrics
