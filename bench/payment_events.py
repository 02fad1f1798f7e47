"""Payment events exactly as disbursement publishes them, built with its own event_data builders, for the
audit benchmarks (ledger ingest, reconciliation): what the audit reads is then what production sends.

A stream is the life of P payments: batches of at most 20,000 (the cap) issued one a day, each batch's
issued events followed by its approval (outbox order), then the bank's outcomes a few days later:
97% settled, 1% failed, 2% with no answer yet (reconciliation reports those as unsettled).
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from services.disbursement.service import finance_event_data
from services.disbursement.domain.iso20022_ids import new_batch_id, new_payment_id
from shared.events import BATCH_APPROVED, DISBURSEMENT_SOURCE, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED
from shared.identifiers import pseudonymise
from shared.settings import DEV_PII_KEY

FUND, PROGRAMME, POLICY, CLAUSE = "unemployment_insurance", "skill_upgrade", "qingyang-2023", "qingyang-2023 §18"
AMOUNT_FEN = 150_000  # the skill-upgrade subsidy at level 4 (中级) in qingyang
BATCH_CAP = 20_000  # GRANTS_MAX_BATCH_ITEMS cannot go higher (the approval event lists every payment id)
START = datetime(2024, 1, 8, 2, 0, tzinfo=UTC)  # batches issued from then on, a day apart


@dataclass
class Stream:
    events: list[dict[str, Any]]  # CloudEvents dicts in publishing order
    payments: int
    payment_events: int  # issued + settled + failed (approvals excluded)
    batches: int


def lifecycle(payments: int, *, seed: int = 7, batch_size: int = BATCH_CAP) -> Stream:
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    batches = 0
    for first in range(0, payments, batch_size):
        issued_at, count = START + timedelta(days=batches), min(batch_size, payments - first)
        # what finance_event_data.batch_approved reads of a BatchRow
        batch = SimpleNamespace(batch_id=new_batch_id(), fund=FUND, programme=PROGRAMME, maker="officer-maker",
                                count=count, total_fen=count * AMOUNT_FEN)
        ids = []
        for n in range(first, first + count):
            payment = _payment(n, batch.batch_id, issued_at)
            ids.append(payment["payment_id"])
            events.append(_event(PAYMENT_ISSUED, payment["payment_id"], finance_event_data.payment_issued(
                payment, policy_id=POLICY, clause=CLAUSE, qualifying_key=f"certificate_number=CERT-{n:07d};"
                "occupation_code=4-07-01-02;level=4", qualifying_date=date(2023, 6, 15),
                grant={"subject_ref": payment["beneficiary_ref"], "tier": "level_4", "units": 1},
                beneficiary_kind="person", maker=batch.maker, checkers=["officer-checker-1", "officer-checker-2"],
                checker_role="officer")))
            roll = rng.random()
            if roll < 0.98:
                settled = roll < 0.97
                row = SimpleNamespace(**payment, reason_code=None if settled else "AC04")  # a PaymentRow's fields
                at = issued_at + timedelta(days=2 if settled else 3, minutes=n % 600)
                outcomes.append(_event(PAYMENT_SETTLED if settled else PAYMENT_FAILED, payment["payment_id"],
                                       finance_event_data.payment_outcome(row, settled, at, row.reason_code, at.date())))
        events.append(_event(BATCH_APPROVED, batch.batch_id, finance_event_data.batch_approved(
            batch, ids, ["officer-checker-1", "officer-checker-2"], issued_at)))  # type: ignore[arg-type]
        batches += 1
    return Stream(events + outcomes, payments, payments + len(outcomes), batches)


def _payment(n: int, batch_id: str, issued_at: datetime) -> dict[str, Any]:
    return {"payment_id": new_payment_id(), "batch_id": batch_id, "claim_id": str(uuid.uuid4()), "fund": FUND,
            "programme": PROGRAMME, "amount_fen": AMOUNT_FEN, "currency": "CNY",
            "beneficiary_ref": pseudonymise(f"bench-person-{n}", DEV_PII_KEY),
            "payee_ref": pseudonymise(f"62220202{n:011d}", DEV_PII_KEY), "issued_at": issued_at}


def _event(type_: str, subject: str, data: dict[str, Any]) -> dict[str, Any]:
    # CloudEvent(...).model_dump(mode="json", exclude_none=True), written out: a third of the generation time
    time = data.get("issued_at") or data.get("approved_at") or data.get("settled_at") or data.get("failed_at")
    return {"specversion": "1.0", "id": str(uuid.uuid4()), "source": DISBURSEMENT_SOURCE, "type": type_, "time": time,
            "subject": subject, "datacontenttype": "application/json", "data": data}


def key_of(event: dict[str, Any]) -> str:
    """The Kafka key disbursement uses: beneficiary for payment events, batch id for approvals."""
    data = event["data"]
    return data["batch_id"] if event["type"] == BATCH_APPROVED else data["beneficiary_ref"]
