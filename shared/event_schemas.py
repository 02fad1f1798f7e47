"""The data of every event the services emit, exactly (contract §6, docs/finance.md, docs/api.md): what
producers promise, where shared.event_payloads holds what consumers read (only what they need, and
tolerant of more). The AsyncAPI document (shared.asyncapi) is generated from these; a test validates the
events the services actually stage against it, so a field added without being documented here fails it.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events import (
    ACCESS_RECORDED,
    APPLICATIONS_SOURCE,
    AUDIT_SOURCE,
    BANK_STATEMENT_RECONCILED,
    BATCH_APPROVED,
    CLAIM_BATCHED,
    CLAIM_DECIDED,
    CLAIM_PAYEE_CHANGED,
    CLAIM_REDECIDED,
    CLAIM_SUBMITTED,
    CLAIM_UNBATCHED,
    CLAIM_WITHDRAWN,
    DISBURSEMENT_SOURCE,
    FUND_BUDGET_SET,
    LEDGER_CHECKPOINT,
    PAYMENT_FAILED,
    PAYMENT_ISSUED,
    PAYMENT_SETTLED,
    STREAM_REPLAY_REQUESTED,
    STREAM_REPLAYED,
)

Money = Annotated[str, Field(pattern=r"^-?\d{1,15}\.\d{2}$", description="yuan, two decimal places")]
Ref = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="HMAC-SHA256 (hex) of a normalised identifier")]
Currency = Literal["CNY"]


class Emitted(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimSubmittedData(Emitted):
    claim_id: str
    programme: str
    jurisdiction: str
    beneficiary_ref: Ref
    submitted_at: datetime


class Decision(BaseModel):
    """The decision as the applicant sees it (contract §3)."""

    model_config = ConfigDict(extra="allow")
    outcome: Literal["eligible", "rejected"]
    amount: Money
    currency: Currency
    fund: str | None
    policy_id: str | None
    clause: str | None
    reasons: list[dict[str, Any]]
    computation: list[dict[str, Any]]
    decided_at: datetime


class ClaimDecidedData(Emitted):
    claim_id: str
    programme: str
    beneficiary_ref: Ref
    decision: Decision
    catalog_hash: str


class ClaimRedecidedData(ClaimDecidedData):
    """A rejected claim decided again by the engine (issue 14): what for, by whom, when, under which catalog."""

    trigger: Literal["reevaluation", "review"]
    redecided_by: str
    redecided_at: datetime
    reevaluation_id: str | None = Field(default=None, description="the bulk run (trigger reevaluation)")


class ClaimWithdrawnData(Emitted):
    claim_id: str
    withdrawn_at: datetime


class ClaimBatchedData(Emitted):
    claim_id: str
    batch_id: str
    fund: str


class ClaimUnbatchedData(Emitted):
    claim_id: str
    batch_id: str | None
    reason: Literal["removed_from_draft", "batch_rejected", "payee_corrected"]


class ClaimPayeeChangedData(Emitted):
    claim_id: str
    payee_ref: Ref
    changed_at: datetime
    payee_name_matches: bool = Field(description="the new account's name is the claimant's (compared normalised)")


class PaymentIssuedData(Emitted):
    payment_id: str
    claim_id: str
    batch_id: str
    programme: str
    policy_id: str
    clause: str | None
    fund: str
    amount: Money
    currency: Currency
    beneficiary_ref: Ref
    payee_ref: Ref
    qualifying_key: str | None
    qualifying_date: date | None
    maker: str
    checker: str
    checkers: list[str]
    checker_role: str
    issued_at: datetime
    subject_ref: str
    units: int = Field(ge=1)
    tier: str | None = None
    beneficiary_kind: str | None = None
    payee_name_matches: bool | None = Field(default=None, description="the payee account's name is the claimant's")
    payee_changes: int = Field(default=0, ge=0, description="payee accounts changed after failed payments of the claim")


class PaymentOutcomeData(Emitted):
    payment_id: str
    claim_id: str
    batch_id: str
    fund: str
    programme: str
    amount: Money
    currency: Currency
    beneficiary_ref: Ref
    value_date: date | None = None


class PaymentSettledData(PaymentOutcomeData):
    settled_at: datetime


class PaymentFailedData(PaymentOutcomeData):
    failed_at: datetime
    reason_code: str | None


class BatchApprovedData(Emitted):
    batch_id: str
    fund: str
    programme: str | None
    count: int
    total: Money
    currency: Currency
    payment_ids: list[str]
    maker: str
    checker: str
    checkers: list[str]
    approved_at: datetime


class FundBudgetSetData(Emitted):
    fund: str
    year: int
    amount: Money
    currency: Currency
    set_by: str
    set_at: datetime


class LedgerCheckpointData(Emitted):
    """A signed checkpoint of a fund's Merkle log (docs/api.md, "Checkpoints")."""

    id: int
    fund: str
    size: int = Field(ge=1)
    root: str
    issued_at: datetime
    key_id: str
    signature: str


class AccessRecordedData(Emitted):
    """One record of the access trail (shared.access_trail): the names of what was read, never its values."""

    access_id: str
    actor: str
    role: str
    action: str
    outcome: Literal["allowed", "refused"]
    purpose: str
    claim_id: str | None
    batch_id: str | None
    payment_id: str | None
    fields: list[str]
    detail: str | None
    at: datetime


class StatementEntryData(Emitted):
    """One booked debit of a statement: the payment (EndToEndId) or batch (MsgId) it names, never an account."""

    entry_no: int = Field(ge=1, description="position of the Ntry in the statement")
    end_to_end_id: str | None
    message_id: str | None
    amount: Money
    booked_on: date | None
    payment_id: str | None = Field(default=None, description="matched entries: the payment it booked")
    reason: str | None = Field(default=None, description="unmatched entries: why it matched no payment")


class StatementPaymentData(Emitted):
    """A payment the statement should have booked and did not."""

    payment_id: str
    batch_id: str
    amount: Money
    status: Literal["issued", "settled"]


class BankStatementReconciledData(Emitted):
    """A fund's camt.053/054 statement matched against its payments (POST /v1/bank-statements)."""

    statement_id: str
    form: Literal["camt.053", "camt.054"]
    fund: str
    account_ref: Ref = Field(description="pseudonym of the statement's account (the fund's paying account)")
    period: list[date] | None = Field(description="[first, last] day, else null (the entries' booking days)")
    currency: Currency
    reconciled_at: datetime
    matched: list[StatementEntryData]
    unmatched_entries: list[StatementEntryData]
    unmatched_payments: list[StatementPaymentData]


class StreamReplayRequestedData(Emitted):
    """A consumer asks a producer to re-send its events on a topic from a sequence on (a lost stretch)."""

    source: str = Field(description="the producer asked (its CloudEvents source)")
    topic: str = Field(description="the topic's suffix, e.g. payments.v1")
    from_sequence: int = Field(ge=1)
    consumer: str = Field(description="the consumer that noticed the loss")


class StreamReplayedData(StreamReplayRequestedData):
    """The producer marked the stretch for re-sending; its last sequence on the topic was through_sequence."""

    through_sequence: int = Field(ge=0)


ANY_SERVICE = "grants/*"  # control events: every service sends them

# event type -> (its data, the service that emits it, what its Kafka key is)
EMITTED: dict[str, tuple[type[BaseModel], str, str]] = {
    CLAIM_SUBMITTED: (ClaimSubmittedData, APPLICATIONS_SOURCE, "claim id"),
    CLAIM_PAYEE_CHANGED: (ClaimPayeeChangedData, APPLICATIONS_SOURCE, "claim id"),
    CLAIM_DECIDED: (ClaimDecidedData, DISBURSEMENT_SOURCE, "claim id"),
    CLAIM_REDECIDED: (ClaimRedecidedData, DISBURSEMENT_SOURCE, "claim id"),
    CLAIM_WITHDRAWN: (ClaimWithdrawnData, APPLICATIONS_SOURCE, "claim id"),
    CLAIM_BATCHED: (ClaimBatchedData, DISBURSEMENT_SOURCE, "claim id"),
    CLAIM_UNBATCHED: (ClaimUnbatchedData, DISBURSEMENT_SOURCE, "claim id"),
    PAYMENT_ISSUED: (PaymentIssuedData, DISBURSEMENT_SOURCE, "beneficiary ref"),
    PAYMENT_SETTLED: (PaymentSettledData, DISBURSEMENT_SOURCE, "beneficiary ref"),
    PAYMENT_FAILED: (PaymentFailedData, DISBURSEMENT_SOURCE, "beneficiary ref"),
    BATCH_APPROVED: (BatchApprovedData, DISBURSEMENT_SOURCE, "batch id"),
    FUND_BUDGET_SET: (FundBudgetSetData, DISBURSEMENT_SOURCE, "fund"),
    LEDGER_CHECKPOINT: (LedgerCheckpointData, AUDIT_SOURCE, "fund"),
    # emitted by the applications and disbursement services (the source names which)
    ACCESS_RECORDED: (AccessRecordedData, DISBURSEMENT_SOURCE, "claim id, else batch id, else actor"),
    BANK_STATEMENT_RECONCILED: (BankStatementReconciledData, DISBURSEMENT_SOURCE, "fund"),
    STREAM_REPLAY_REQUESTED: (StreamReplayRequestedData, ANY_SERVICE, "producer source/topic"),
    STREAM_REPLAYED: (StreamReplayedData, ANY_SERVICE, "producer source/topic"),
}
SERVICE_SOURCES = (APPLICATIONS_SOURCE, DISBURSEMENT_SOURCE, AUDIT_SOURCE)
