"""Typed payloads of the events services consume from one another (contract §6, docs/finance.md).

A consumer reads an event's `data` into its type's model here and hands the model to its use case,
which never touches the raw dict. A payload that does not read is a ValidationError (a ValueError):
the consumer dead-letters that message. Unknown fields are kept, not refused: producers may add
optional fields (contract: add freely), and what a consumer does not read must not stop it.
The audit reads payment and batch events into its own strict facts (services.audit.domain.events)
because it keeps, quarantines and reports on malformed ones rather than dead-lettering them.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.events import (
    ACCESS_RECORDED,
    BANK_STATEMENT_RECONCILED,
    CLAIM_BATCHED,
    CLAIM_DECIDED,
    CLAIM_PAYEE_CHANGED,
    CLAIM_REDECIDED,
    CLAIM_SUBMITTED,
    CLAIM_UNBATCHED,
    CLAIM_WITHDRAWN,
    FUND_BUDGET_SET,
    PAYMENT_FAILED,
    PAYMENT_ISSUED,
    PAYMENT_SETTLED,
    CloudEvent,
)

Ref = str  # HMAC-SHA256 hex of a normalised identifier (shared.identifiers.pseudonymise)


class EventData(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class ClaimSubmitted(EventData):
    claim_id: str = Field(min_length=1)
    submitted_at: datetime
    programme: str | None = None
    jurisdiction: str | None = None
    beneficiary_ref: Ref | None = None


class ClaimDecided(EventData):
    claim_id: str = Field(min_length=1)
    decision: dict[str, Any]  # the decision as the applicant sees it (contract §3), kept whole
    programme: str | None = None
    beneficiary_ref: Ref | None = None
    catalog_hash: str | None = None


class ClaimBatched(EventData):
    claim_id: str = Field(min_length=1)
    batch_id: str | None = None
    fund: str | None = None


class ClaimUnbatched(EventData):
    """The claim is eligible again: removed_from_draft, batch_rejected or payee_corrected."""

    claim_id: str = Field(min_length=1)
    batch_id: str | None = None
    reason: str | None = None


class ClaimPayeeChanged(EventData):
    claim_id: str = Field(min_length=1)
    payee_ref: Ref = Field(min_length=64, max_length=64)
    changed_at: datetime | None = None
    payee_name_matches: bool | None = None  # the new account's name is the claimant's (issue 14)


class PaymentEvent(EventData):
    """grants.payment.issued, .settled or .failed, as a claim's timeline reads them."""

    claim_id: str = Field(min_length=1)
    payment_id: str | None = None
    batch_id: str | None = None  # tells a late batched event of this batch from a re-batch (applications)
    reason_code: str | None = None  # failed only
    reason: str | None = None  # failed, from producers that send no code


class FundBudgetSet(EventData):
    fund: str = Field(min_length=1)
    year: int
    amount: str  # yuan, two places
    set_by: str | None = None


class ClaimRedecided(ClaimDecided):
    """A rejected claim decided again: the new decision, why (trigger) and by whom."""

    trigger: str = Field(min_length=1)  # reevaluation | review
    redecided_by: str = Field(min_length=1)
    catalog_hash: str | None = None
    reevaluation_id: str | None = None


class ClaimWithdrawn(EventData):
    claim_id: str = Field(min_length=1)
    withdrawn_at: datetime | None = None


class AccessRecorded(EventData):
    """One record of another service's access trail (shared.access_trail), as the audit keeps its copy."""

    access_id: str = Field(min_length=1, max_length=36)
    actor: str = Field(min_length=1)
    role: str
    action: str
    outcome: str
    purpose: str
    claim_id: str | None = None
    batch_id: str | None = None
    payment_id: str | None = None
    fields: list[str] = []
    detail: str | None = None
    at: datetime


class StatementEntry(EventData):
    entry_no: int
    end_to_end_id: str | None = None  # the payment it names; else message_id names a batch booked as one
    message_id: str | None = None
    amount: str
    booked_on: date | None = None
    payment_id: str | None = None  # matched entries
    reason: str | None = None  # unmatched entries


class StatementPayment(EventData):
    payment_id: str = Field(min_length=1)
    batch_id: str | None = None
    amount: str
    status: str | None = None


class BankStatementReconciled(EventData):
    """A fund's statement matched against its payments: what matched and what is unmatched on either side."""

    statement_id: str = Field(min_length=1)
    fund: str = Field(min_length=1)
    form: str | None = None
    period: list[date] | None = None
    reconciled_at: datetime
    matched: list[StatementEntry] = []
    unmatched_entries: list[StatementEntry] = []
    unmatched_payments: list[StatementPayment] = []


PAYLOADS: dict[str, type[EventData]] = {
    CLAIM_SUBMITTED: ClaimSubmitted, CLAIM_DECIDED: ClaimDecided, CLAIM_BATCHED: ClaimBatched,
    CLAIM_UNBATCHED: ClaimUnbatched, CLAIM_PAYEE_CHANGED: ClaimPayeeChanged, PAYMENT_ISSUED: PaymentEvent,
    PAYMENT_SETTLED: PaymentEvent, PAYMENT_FAILED: PaymentEvent, FUND_BUDGET_SET: FundBudgetSet,
    CLAIM_REDECIDED: ClaimRedecided, CLAIM_WITHDRAWN: ClaimWithdrawn,
    ACCESS_RECORDED: AccessRecorded, BANK_STATEMENT_RECONCILED: BankStatementReconciled,
}
P = TypeVar("P", bound=EventData)


@dataclass(frozen=True)
class Delivery(Generic[P]):
    """An event as a use case takes it: its payload read, beside the envelope (its id, type and the
    log context shared.consumer.bound_delivery finds by it)."""

    event: CloudEvent
    data: P

    @property
    def type(self) -> str:
        return self.event.type


def delivery(event: CloudEvent) -> Delivery[Any]:
    """The event with its payload read by its type's model; ValidationError when it does not read."""
    return Delivery(event, PAYLOADS[event.type].model_validate(event.data))
