"""Issue 16, point 5: the three services on the real broker, traced into memory and measured by the metrics
docs/operations.md names. A claim's payment is one trace across all three services (the approval's request,
the events on the outbox and Kafka, the consumers that apply them), its filing another across applications
and disbursement; every business metric moves when its event happens, and /metrics shows it."""

import json
import re
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY
from sqlalchemy import select

from services.applications.main import create_app as create_applications
from services.audit.main import create_app as create_audit
from services.disbursement.db.tables import outbox as disbursement_outbox
from services.disbursement.main import create_app as create_disbursement
from shared import tracing
from shared.events import topic
from shared.kafka_clients import make_producer
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.audit.domain.factories import outcome_event
from tests.audit.support import audit_settings
from tests.audit.tampering import tamper
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.disbursement.factories import finance_settings
from tests.live_server import serve
from tests.support import auth, skill_upgrade_body

pytestmark = pytest.mark.broker
FUND = "unemployment_insurance"
APPLICANT, MAKER, CHECKER, AUDITOR = (auth(sub="citizen-9"), auth("officer", "maker-9"), auth("officer", "checker-9"),
                                      auth("auditor", "auditor-9"))


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    tracing.export_to(processor)
    yield exporter
    tracing.stop_exporting(processor)


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def wait_for(check, what: str, timeout: float = 45.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return result


def moved(name: str, by: float, **labels: str):  # type: ignore[no-untyped-def]
    """A check that the metric has grown by `by` since now."""
    start = value(name, **labels)
    return lambda: value(name, **labels) >= start + by


def services_of(spans: InMemorySpanExporter, trace_id: int) -> set[str]:
    return {s.resource.attributes["service.name"] for s in spans.get_finished_spans() if s.context.trace_id == trace_id}


def server_span(spans: InMemorySpanExporter, name: str):  # type: ignore[no-untyped-def]
    return next(s for s in reversed(spans.get_finished_spans()) if s.name == name and s.kind.name == "SERVER")


def test_a_claim_is_traced_and_measured_across_the_three_services(spans, broker, topic_prefix, tmp_path):
    urls = {name: f"sqlite:///{tmp_path}/{name}.db" for name in ("applications", "disbursement", "audit")}
    for name, url in urls.items():
        upgrade_service(name, url)
    applications = create_applications(applications_settings(urls["applications"], broker, topic_prefix), run_workers=True)
    audit_app = create_audit(audit_settings(urls["audit"], broker, topic_prefix, audit_checkpoint_every_seconds=3600),
                             run_workers=True)
    with serve(applications) as apps, TestClient(audit_app) as audit:
        disbursement_app = create_disbursement(finance_settings(urls["disbursement"], broker, topic_prefix,
                                                                applications_url=apps), run_workers=True)
        with TestClient(disbursement_app) as disbursement:
            # --- filed and decided: applications, then disbursement's decider (which fetches the body back) ---
            decided = moved("grants_decisions_total", 1, programme="skill_upgrade", outcome="eligible")
            applied = moved("grants_events_applied_total", 1, service="disbursement", consumer="disbursement.decider",
                            type="grants.claim.submitted")
            answered = moved("grants_http_requests_total", 1, service="applications", route="/v1/claims",
                             method="POST", status="201")
            published = moved("grants_outbox_published_total", 1, service="applications",
                              topic=topic(topic_prefix, "claims.v1"))
            filed = httpx.post(f"{apps}/v1/claims", json=skill_upgrade_body(909),
                               headers={**APPLICANT, "Idempotency-Key": str(uuid.uuid4())})
            assert filed.status_code == 201
            claim_id = filed.json()["claim_id"]
            wait_for(lambda: httpx.get(f"{apps}/v1/claims/{claim_id}", headers=APPLICANT).json()["status"] == "eligible",
                     "the decision")
            for check, what in ((decided, "decisions"), (applied, "applied"), (answered, "http"), (published, "published")):
                wait_for(check, what)
            filing = server_span(spans, "POST /v1/claims").context.trace_id
            wait_for(lambda: services_of(spans, filing) >= {"grants-applications", "grants-disbursement"}, "filing trace")
            in_filing = [s for s in spans.get_finished_spans() if s.context.trace_id == filing]
            # the decider's fetch of the body: its client span, and applications' server span under it
            assert any("/internal/v1/claims" in s.name and s.kind.name == "SERVER" for s in in_filing)
            assert any(s.kind.name == "CLIENT" and s.resource.attributes["service.name"] == "grants-disbursement"
                       for s in in_filing)
            assert any(s.name == "consume disbursement.decider" for s in in_filing)

            # --- batched and approved: the payment's trace reaches all three services ---
            issued = moved("grants_amount_issued_fen_total", 150000, fund=FUND)
            posted = moved("grants_ledger_entries_posted_total", 1, fund=FUND)
            locked = moved("grants_fund_lock_wait_seconds_count", 1, service="disbursement", lock="fund+officer")
            batch_id = disbursement.post("/v1/batches", json={"fund": FUND}, headers=MAKER).json()["batch_id"]
            approved = disbursement.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER)
            assert approved.status_code == 200
            payment = approved.json()["items"][0]
            for check, what in ((issued, "issued"), (posted, "posted"), (locked, "lock wait")):
                wait_for(check, what)
            approval = server_span(spans, "POST /v1/batches/{batch_id}/approve").context.trace_id
            wait_for(lambda: services_of(spans, approval) == {"grants-applications", "grants-disbursement",
                                                               "grants-audit"}, "the payment's trace in all three")
            with disbursement_app.state.runtime.engine.connect() as conn:  # the context travels on the outbox row
                payloads = [json.loads(p) for p in conn.execute(select(disbursement_outbox.c.payload)).scalars()]
            issued_event = next(p for p in payloads if p["type"] == "grants.payment.issued")
            assert issued_event["traceparent"].split("-")[1] == f"{approval:032x}"

            # --- settled by the bank; the new entry waits for its checkpoint ---
            settled = moved("grants_amount_settled_fen_total", 150000, fund=FUND)
            posted = moved("grants_ledger_entries_posted_total", 1, fund=FUND)
            taken = disbursement.post("/v1/bank-returns", content=csv_file([Row(payment["payment_id"], "SETTLED",
                                                                                payment["amount"])]),
                                      headers={**CHECKER, "content-type": "text/csv"})
            assert taken.status_code in (200, 201), taken.text
            wait_for(settled, "settled")
            wait_for(posted, "the settlement posted")
            wait_for(lambda: value("grants_ledger_checkpoint_age_seconds", fund=FUND) > 0, "an entry waiting unsigned")

            # --- what cannot be applied: dead-lettered (not a CloudEvent), quarantined (an outcome never issued) ---
            dead = moved("grants_events_dead_lettered_total", 1, service="disbursement",
                         consumer="disbursement.decider", type="unparseable")
            quarantined = moved("grants_events_quarantined_total", 1, reason="not_issued")
            producer = make_producer(broker)
            producer.send(topic(topic_prefix, "claims.v1"), key=b"x", value=b"not a cloud event")
            stray = outcome_event("Pnever", fund=FUND)  # the bank's word on a payment never issued
            producer.send(topic(topic_prefix, "payments.v1"), key=b"Pnever", value=json.dumps(stray).encode())
            producer.flush()
            producer.close()
            wait_for(dead, "the dead letter")
            wait_for(quarantined, "the quarantine")

            # --- a ledger edited behind the service's back fails verification, and is counted ---
            failed = moved("grants_ledger_verification_failures_total", 1, fund=FUND)
            tamper(audit_app.state.runtime.engine, "UPDATE ledger_postings SET debit_fen = debit_fen + 1 "
                                                   "WHERE debit_fen > 0")
            assert audit.get("/v1/ledger/verify", headers=AUDITOR).json()["ok"] is False
            assert failed()

            # --- each service's /metrics, in Prometheus' text format ---
            with httpx.Client(base_url=apps) as applications_client:
                for client, service in ((applications_client, "applications"), (disbursement, "disbursement"),
                                        (audit, "audit")):
                    scraped = client.get("/metrics")
                    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
                    assert re.search(rf'^grants_http_requests_total{{[^}}]*service="{service}"', scraped.text, re.M)
                    assert f'grants_worker_up{{service="{service}",worker="OutboxRelay"}} 1.0' in scraped.text

