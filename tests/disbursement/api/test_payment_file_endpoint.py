import uuid

import httpx
import pytest
from lxml import etree
from sqlalchemy import update

from services.applications.db.tables import ClaimRow
from services.disbursement.domain.payment_file import PAIN001_NAMESPACE, validate_pain001
from shared.db import make_engine
from tests.disbursement.factories import decide_filed
from tests.support import auth, skill_upgrade_body

NS = {"p": PAIN001_NAMESPACE}
MAKER, CHECKER = auth("officer", "maker-1"), auth("officer", "checker-1")


def _file_and_decide(applications: str, engine, count: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    bodies = {}
    for i in range(count):
        body = skill_upgrade_body(100 + i)
        r = httpx.post(f"{applications}/v1/claims", json=body,
                       headers={**auth(sub=f"person-{i}"), "Idempotency-Key": str(uuid.uuid4())})
        bodies[r.json()["claim_id"]] = body
    decide_filed(engine, bodies)
    return bodies


@pytest.fixture
def approved(paying_api, applications):  # type: ignore[no-untyped-def]
    bodies = _file_and_decide(applications, paying_api.app.state.runtime.engine, 3)
    batch_id = paying_api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
    batch = paying_api.post(f"/v1/batches/{batch_id}/approve", headers=CHECKER).json()
    return batch, bodies


def test_the_payment_file_is_valid_pain001_with_the_batchs_control_totals(paying_api, approved):
    batch, bodies = approved
    r = paying_api.get(f"/v1/batches/{batch['batch_id']}/payment-file", headers=CHECKER)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/xml")
    assert validate_pain001(r.content) == []
    doc = etree.fromstring(r.content)
    assert doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", namespaces=NS) == batch["batch_id"]
    assert doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == str(batch["count"]) == "3"
    assert doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS) == batch["total"]
    assert len(doc.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)) == 1
    transfers = doc.findall(".//p:CdtTrfTxInf", namespaces=NS)
    by_payment = {t.findtext("p:PmtId/p:EndToEndId", namespaces=NS): t for t in transfers}
    assert set(by_payment) == {item["payment_id"] for item in batch["items"]}
    for item in batch["items"]:
        transfer = by_payment[item["payment_id"]]
        assert transfer.findtext("p:Amt/p:InstdAmt", namespaces=NS) == item["amount"]
        account = bodies[item["claim_id"]]["payee_account"]["account_number"]
        assert transfer.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == account


def test_only_an_approved_batch_has_a_payment_file(paying_api, applications):
    _file_and_decide(applications, paying_api.app.state.runtime.engine, 1)
    batch_id = paying_api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=MAKER).json()["batch_id"]
    r = paying_api.get(f"/v1/batches/{batch_id}/payment-file", headers=CHECKER)
    assert r.status_code == 409 and r.json()["type"].endswith("/batch-state")


def test_a_payee_account_changed_after_approval_is_never_paid_silently(paying_api, approved, tmp_path):
    batch, bodies = approved
    claim_id = batch["items"][0]["claim_id"]
    changed = {**bodies[claim_id], "payee_account": {"account_number": "6222020299999999999",
                                                     "account_name": "张三", "bank": "ICBC"}}
    engine = make_engine(f"sqlite:///{tmp_path}/applications.db")
    with engine.begin() as conn:
        conn.execute(update(ClaimRow).where(ClaimRow.claim_id == claim_id).values(body=changed))
    r = paying_api.get(f"/v1/batches/{batch['batch_id']}/payment-file", headers=CHECKER)
    assert r.status_code == 409 and claim_id in r.json()["detail"]
    assert "6222020299999999999" not in r.text


def test_applicants_cannot_fetch_a_payment_file(paying_api, approved):
    batch, _ = approved
    assert paying_api.get(f"/v1/batches/{batch['batch_id']}/payment-file", headers=auth()).status_code == 403
