"""CloudEvents 1.0 envelope (structured mode) and the event types and topics of contract §6."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

CONTENT_TYPE = "application/cloudevents+json"

# The CloudEvents `source` of each producing service.
APPLICATIONS_SOURCE = "grants/applications"
DISBURSEMENT_SOURCE = "grants/disbursement"
AUDIT_SOURCE = "grants/audit"

CLAIM_SUBMITTED = "grants.claim.submitted"
CLAIM_DECIDED = "grants.claim.decided"
PAYMENT_ISSUED = "grants.payment.issued"
BATCH_APPROVED = "grants.batch.approved"
PAYMENT_SETTLED = "grants.payment.settled"
PAYMENT_FAILED = "grants.payment.failed"

# event type -> topic suffix; key choice is the producer's (contract §6)
TOPIC_OF_TYPE = {
    CLAIM_SUBMITTED: "claims.v1",
    CLAIM_DECIDED: "claims.v1",
    PAYMENT_ISSUED: "payments.v1",
    PAYMENT_SETTLED: "payments.v1",
    PAYMENT_FAILED: "payments.v1",
    BATCH_APPROVED: "batches.v1",
}
TOPIC_SUFFIXES = ("claims.v1", "payments.v1", "batches.v1", "deadletter.v1", "checkpoints.v1", "control.v1")


def topic(prefix: str, suffix: str) -> str:
    return f"{prefix}.{suffix}"


def all_topics(prefix: str) -> list[str]:
    return [topic(prefix, s) for s in TOPIC_SUFFIXES]


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    specversion: str = "1.0"
    id: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    time: str
    subject: str | None = None
    datacontenttype: str = "application/json"
    data: dict[str, Any]

    def to_bytes(self) -> bytes:
        return json.dumps(self.model_dump(mode="json", exclude_none=True), ensure_ascii=False,
                          separators=(",", ":")).encode()


def new_event(type_: str, source: str, subject: str, data: dict[str, Any], event_id: str | None = None) -> CloudEvent:
    return CloudEvent(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=type_,
        time=datetime.now(UTC).isoformat(),
        subject=subject,
        data=data,
    )


def parse_event(raw: bytes) -> CloudEvent:
    """Decode a structured-mode CloudEvent; raises ValueError (a poison message) when it is not one."""
    try:  # the common case in one pass of pydantic's own parser; anything else is judged below, for its reason
        event = CloudEvent.model_validate_json(raw)
        if event.specversion == "1.0":
            return event
    except ValueError:
        pass
    try:
        doc = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("specversion") != "1.0":
        raise ValueError("not a CloudEvents 1.0 document")
    return CloudEvent.model_validate(doc)


# Finance events (contract §4): a claim taken into or out of a batch, and a claimant's corrected payee account.
CLAIM_BATCHED = "grants.claim.batched"
CLAIM_UNBATCHED = "grants.claim.unbatched"
CLAIM_PAYEE_CHANGED = "grants.claim.payee_changed"
TOPIC_OF_TYPE.update({CLAIM_BATCHED: "claims.v1", CLAIM_UNBATCHED: "claims.v1", CLAIM_PAYEE_CHANGED: "claims.v1"})

# A fund's yearly budget as finance set it: the audit checks issued totals against the same figure.
FUND_BUDGET_SET = "grants.fund.budget_set"
TOPIC_OF_TYPE[FUND_BUDGET_SET] = "batches.v1"

# The audit's signed checkpoints of each fund's Merkle log (docs/api.md), for witnesses and auditors to keep.
LEDGER_CHECKPOINT = "grants.ledger.checkpoint"
TOPIC_OF_TYPE[LEDGER_CHECKPOINT] = "checkpoints.v1"

# Reconsideration and withdrawal (issue 14): a rejected claim decided again (a bulk re-evaluation once an
# operator sets a parameter, or an officer answering the applicant's review request), and a claim the
# applicant withdrew before it was batched.
CLAIM_REDECIDED = "grants.claim.redecided"
CLAIM_WITHDRAWN = "grants.claim.withdrawn"
TOPIC_OF_TYPE.update({CLAIM_REDECIDED: "claims.v1", CLAIM_WITHDRAWN: "claims.v1"})

# The access trail (shared.access_trail): a read of personal data, a payment-file download or a refusal,
# recorded by the service that was read; the audit service keeps the copy (keyed by claim, batch or actor).
ACCESS_RECORDED = "grants.access.recorded"
TOPIC_OF_TYPE[ACCESS_RECORDED] = "batches.v1"
# A fund's bank statement (camt.053/054) matched against its payments: the audit keeps each side's unmatched
# entries as reconciliation breaks until a later statement matches them.
BANK_STATEMENT_RECONCILED = "grants.bank_statement.reconciled"
TOPIC_OF_TYPE[BANK_STATEMENT_RECONCILED] = "batches.v1"
# Lost-stretch healing (shared.gap_detection, shared.stream_control): a consumer that found a stretch of a
# producer's sequence missing asks for it again; the producer re-sends it from its outbox and says so.
CONTROL_TOPIC = "control.v1"
STREAM_REPLAY_REQUESTED = "grants.stream.replay_requested"
STREAM_REPLAYED = "grants.stream.replayed"
TOPIC_OF_TYPE.update({STREAM_REPLAY_REQUESTED: CONTROL_TOPIC, STREAM_REPLAYED: CONTROL_TOPIC})
