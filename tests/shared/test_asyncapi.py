"""Issue 16, point 6: GET /asyncapi.json on each service is an AsyncAPI 3.0 document of every topic and event,
and the events the three services actually stage on their outboxes (every type: filed, decided, batched,
unbatched, issued, approved, settled, failed, payee changed, budget set, bank statement reconciled, checkpoint signed, replay asked and
answered) validate against
its schemas. A field a producer adds without documenting it in shared/event_schemas.py fails this test."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.applications.main import create_app as create_applications
from services.audit.main import create_app as create_audit
from services.disbursement.main import create_app as create_disbursement
from shared.china_time import business_day
from shared.event_schemas import ANY_SERVICE, EMITTED
from shared.db import unit_of_work
from shared.events import (CLAIM_BATCHED, CLAIM_DECIDED, CONTROL_TOPIC, PAYMENT_FAILED, PAYMENT_ISSUED,
                           STREAM_REPLAY_REQUESTED, TOPIC_SUFFIXES, CloudEvent)
from shared.gap_detection import request_replay
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.applications.messaging.timeline_support import deliver
from tests.audit.support import audit_settings, feed
from tests.disbursement.domain.test_bank_returns import Row, csv_file
from tests.disbursement.factories import decide_filed, finance_settings
from tests.disbursement.statement_files import camt053
from tests.support import auth, skill_upgrade_body

OFFICER, CHECKER, ADMIN = auth("officer", "maker-a"), auth("officer", "checker-a"), auth("admin", "admin-a")
NEW_ACCOUNT = {"account_number": "6222020200099999999", "account_name": "张三", "bank": "ICBC"}


def staged(client: TestClient) -> list[dict[str, Any]]:
    runtime = client.app.state.runtime
    with runtime.engine.connect() as conn:
        return [json.loads(p) for p in conn.execute(select(runtime.outbox.c.payload)).scalars()]


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


@pytest.fixture
def services(tmp_path):  # type: ignore[no-untyped-def]
    urls = {name: f"sqlite:///{tmp_path}/{name}.db" for name in ("applications", "disbursement", "audit")}
    for name, url in urls.items():
        upgrade_service(name, url)
    apps = create_applications(applications_settings(urls["applications"]), run_workers=False)
    disbursement = create_disbursement(finance_settings(urls["disbursement"]), run_workers=False)
    audit = create_audit(audit_settings(urls["audit"]), run_workers=False)
    with TestClient(apps) as a, TestClient(disbursement) as d, TestClient(audit) as u:
        yield a, d, u


def emit_every_event(apps: TestClient, disbursement: TestClient, audit: TestClient) -> list[dict[str, Any]]:
    bodies = {}
    for seq in (1, 2, 3):  # filed with applications, decided by disbursement as its decider would
        body = skill_upgrade_body(300 + seq)
        filed = apps.post("/v1/claims", json=body, headers={**auth(), "Idempotency-Key": str(uuid.uuid4())})
        bodies[filed.json()["claim_id"]] = body
    decide_filed(disbursement.app.state.runtime.engine, bodies)
    fund = "unemployment_insurance"
    assert disbursement.put(f"/v1/funds/{fund}/budgets/2030", json={"amount": "900000.00"}, headers=ADMIN).status_code == 200
    first = list(bodies)[:1]
    assert disbursement.get("/v1/entitlements", headers=auth()).status_code == 403  # a refusal: on the access trail
    rejected = disbursement.post("/v1/batches", json={"fund": fund, "claim_ids": first}, headers=OFFICER).json()
    disbursement.post(f"/v1/batches/{rejected['batch_id']}/reject", json={"reason": "wrong period"}, headers=CHECKER)
    batch = disbursement.post("/v1/batches", json={"fund": fund}, headers=OFFICER).json()
    items = disbursement.post(f"/v1/batches/{batch['batch_id']}/approve", headers=CHECKER).json()["items"]
    paid, failed, *_ = items
    disbursement.post("/v1/bank-returns", content=csv_file([
        Row(paid["payment_id"], "SETTLED", paid["amount"]),
        Row(failed["payment_id"], "FAILED", failed["amount"], reason_code="AC04")]),
        headers={**CHECKER, "content-type": "text/csv"})
    account = disbursement.app.state.runtime.settings.grants_fund_accounts[fund].account_number
    today = business_day(datetime.now(UTC)).isoformat()  # the other payments issued today: not on the statement
    statement = camt053(account, today, [(paid["payment_id"], paid["amount"]), ("PX", "1.00")])
    assert disbursement.post("/v1/bank-statements", content=statement,
                             headers={**CHECKER, "content-type": "application/xml"}).status_code == 200
    claim_id = failed["claim_id"]  # the claimant corrects the account the bank refused
    deliver(apps.app.state.runtime.engine, claim_id, CLAIM_DECIDED, CLAIM_BATCHED, PAYMENT_ISSUED, PAYMENT_FAILED)
    assert apps.put(f"/v1/claims/{claim_id}/payee-account", json=NEW_ACCOUNT, headers=auth()).status_code == 200
    feed(audit.app.state.runtime.engine, [e for e in staged(disbursement) if e["type"] == PAYMENT_ISSUED])
    assert audit.post("/v1/ledger/checkpoints", headers=ADMIN).status_code == 201
    emit_reconsideration_events(apps, disbursement)
    ask_for_a_replay(audit, disbursement)
    return staged(apps) + staged(disbursement) + staged(audit)


def ask_for_a_replay(consumer: TestClient, producer: TestClient) -> None:
    """The audit asks disbursement to re-send its payments from 1 on, and disbursement answers."""
    asking, serving = consumer.app.state.runtime, producer.app.state.runtime
    with unit_of_work(asking.engine) as session:
        request_replay(session, asking.outbox, "audit.ledger", "grants/disbursement", "payments.v1", 1)
    request = CloudEvent.model_validate(next(e for e in staged(consumer) if e["type"] == STREAM_REPLAY_REQUESTED))
    (control,) = [spec for spec in serving.consumer_specs if CONTROL_TOPIC in spec.topic_suffixes]
    with unit_of_work(serving.engine) as session:
        control.handlers[STREAM_REPLAY_REQUESTED](session, request)


def emit_reconsideration_events(apps: TestClient, disbursement: TestClient) -> None:
    """Issue 14: a claim withdrawn by its applicant, and a rejection decided again on review."""
    from datetime import UTC, datetime

    from services.disbursement.service.claim_deciding import decide
    from services.disbursement.service.claim_redeciding import redecide
    from shared.auth import Principal
    from shared.claims import parse_claim
    from shared.db import unit_of_work
    from shared.settings import DEV_PII_KEY

    body = skill_upgrade_body(310, ui_contribution_months=3)
    filed = apps.post("/v1/claims", json=body, headers={**auth(), "Idempotency-Key": str(uuid.uuid4())}).json()
    assert apps.post(f"/v1/claims/{filed['claim_id']}/withdrawal", headers=auth()).status_code == 200
    catalog, engine = disbursement.app.state.catalog, disbursement.app.state.runtime.engine
    with unit_of_work(engine) as session:
        decide(session, claim_id=filed["claim_id"], claim=parse_claim(body), catalog=catalog, pii_key=DEV_PII_KEY,
               submitted_at=datetime.now(UTC))
    with unit_of_work(engine) as session:
        assert redecide(session, filed={**filed, "body": body}, catalog=catalog, pii_key=DEV_PII_KEY,
                        actor=Principal(sub="checker-a", role="officer"), trigger="review") is not None


def test_every_event_the_services_emit_validates_against_the_asyncapi_document(services):
    apps, disbursement, audit = services
    events = emit_every_event(apps, disbursement, audit)
    assert {e["type"] for e in events} == set(EMITTED)
    for client in services:
        document = client.get("/asyncapi.json").json()
        assert document["asyncapi"] == "3.0.0"
        for event in events:
            message = document["components"]["messages"][event["type"]]
            schema = {**resolve(document, message["payload"]["$ref"]), "components": document["components"]}
            jsonschema.validate(event, schema, cls=jsonschema.Draft202012Validator,
                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_an_event_the_document_does_not_describe_is_refused(services):
    document = services[0].get("/asyncapi.json").json()
    schema = {**resolve(document, "#/components/schemas/ClaimBatchedEvent"), "components": document["components"]}
    batched = {"specversion": "1.0", "id": "e1", "source": "grants/disbursement", "type": "grants.claim.batched",
               "time": "2024-01-02T00:00:00+00:00", "datacontenttype": "application/json",
               "data": {"claim_id": "c1", "batch_id": "B1", "fund": "unemployment_insurance"}}
    check = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    check.validate(batched)
    for wrong in ({"data": {**batched["data"], "account_number": "6222"}},  # a field nobody documented
                  {"data": {"claim_id": "c1"}}, {"time": "yesterday"}, {"source": "grants/audit"}, {"extra": 1}):
        with pytest.raises(jsonschema.ValidationError):
            check.validate({**batched, **wrong})


def test_each_service_documents_every_topic_and_its_own_operations(services):
    for client, name in zip(services, ("applications", "disbursement", "audit")):
        document = client.get("/asyncapi.json").json()
        assert {c["address"] for c in document["channels"].values()} == {f"grants.{s}" for s in TOPIC_SUFFIXES}
        for channel in document["channels"].values():
            for ref in channel["messages"].values():
                resolve(document, ref["$ref"])
        sent = {m["$ref"].rsplit("/", 1)[-1] for op in document["operations"].values() if op["action"] == "send"
                for m in op["messages"]}
        assert sent - {"deadletter"} == {t for t, (_, source, _) in EMITTED.items()
                                         if source in (f"grants/{name}", ANY_SERVICE)}
        received = {m["$ref"].rsplit("/", 1)[-1] for op in document["operations"].values()
                    if op["action"] == "receive" for m in op["messages"]}
        consumed = {t for spec in client.app.state.runtime.consumer_specs for t in spec.handlers}
        assert received == consumed
        for op in document["operations"].values():
            channel = resolve(document, op["channel"]["$ref"])
            for ref in op["messages"]:  # every operation's message is one of its channel's
                assert resolve(document, ref["$ref"]) in channel["messages"].values()
