"""Response shapes of the disbursement API (contract §4), for the OpenAPI document and generated clients.

The use cases build these answers as JSON objects (service.batch_view, fund_budgets, the catalog view);
these models describe them field by field and let nothing through changed: money stays a two-place decimal
string, times stay the RFC 3339 strings they were, and a member a model does not name is kept as sent
(extra="allow"), so declaring a model never drops a field a client already reads.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.claims.documented import ReasonOut, StepOut

Money = str  # yuan with two places, e.g. "1500.00" (contract §2)


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class ProgrammeOut(_Out):
    policy_id: str
    policy_status: str
    policy_title: str
    programme: str
    name: str
    clause: str
    fund: str
    fund_clause: str
    period: dict[str, Any]
    definition: dict[str, Any] = Field(description="the programme as the catalog defines it (rules, caps, tiers)")
    parameters: list[dict[str, Any]]
    exclusive_groups: list[dict[str, Any]]


class ProgrammePage(_Out):
    items: list[ProgrammeOut]
    next_cursor: str | None
    catalog_hash: str


class EvaluationOut(_Out):
    """The decision a claim would get (contract §3's decision object), persisted nowhere."""

    outcome: Literal["eligible", "rejected"]
    amount: Money
    currency: Literal["CNY"]
    fund: str | None
    policy_id: str | None
    clause: str | None
    reasons: list[ReasonOut]
    computation: list[StepOut]
    as_of: str = Field(description="the day decided as of, YYYY-MM-DD")
    catalog_hash: str
    persisted: Literal[False]


class EntitlementOut(_Out):
    claim_id: str
    status: str
    programme: str
    jurisdiction: str
    policy_id: str
    clause: str
    fund: str
    amount: Money
    currency: Literal["CNY"]
    beneficiary_ref: str
    payee_ref: str
    decided_at: str


class EntitlementPage(_Out):
    items: list[EntitlementOut]
    next_cursor: str | None


class BatchSummaryOut(_Out):
    batch_id: str
    fund: str
    programme: str | None
    status: str
    maker: str
    count: int
    total: Money
    currency: Literal["CNY"]
    checkers_required: int
    created_at: str
    updated_at: str
    approved_at: str | None


class BatchItemOut(_Out):
    claim_id: str
    programme: str
    policy_id: str
    amount: Money
    currency: Literal["CNY"]
    payee_ref: str
    # present once the batch is approved (routes answering a batch leave unset members out)
    payment_id: str | None = Field(default=None, description="once the batch is approved")
    payment_status: str | None = Field(default=None, description="once the batch is approved")
    reason_code: str | None = Field(default=None, description="once a payment failed")


class ApprovalOut(_Out):
    checker: str
    role: str
    at: str


class TransitionOut(_Out):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    actor_role: str
    reason: str | None
    detail: dict[str, Any] | None
    at: str


class BatchOut(BatchSummaryOut):
    items: list[BatchItemOut]
    approvals: list[ApprovalOut]
    history: list[TransitionOut]


class BatchPage(_Out):
    items: list[BatchSummaryOut]
    next_cursor: str | None


class FundOut(_Out):
    fund: str
    name: str
    year: int
    currency: Literal["CNY"]
    budget: Money | None
    issued: Money
    remaining: Money | None
    budget_set_by: str | None
    budget_set_at: str | None


class ApprovalLimitsOut(_Out):
    dual_approval_threshold: Money
    officer_daily_limit: Money
    officer_daily_limits: dict[str, Money]
    fund_budget_required: bool
    currency: Literal["CNY"]
    your_daily_limit: Money
    you_approved_today: Money


class FundPage(_Out):
    items: list[FundOut]
    next_cursor: str | None
    year: int
    approval_limits: ApprovalLimitsOut


class ParameterOut(_Out):
    id: str
    clause: str
    unit: str
    source: str
    values: list[dict[str, Any]]
    operator_value: str | None = Field(description="the operator's value, where one is set")


class ParameterPage(_Out):
    items: list[ParameterOut]
    next_cursor: str | None


class ParameterSetOut(_Out):
    parameter_id: str
    value: str
    set_by: str
    set_at: str
    reason: str


class ReturnLineOut(_Out):
    line_no: int | None
    end_to_end_id: str | None
    outcome: str
    message: str
    claim_id: str | None


class BankReturnOut(_Out):
    upload_id: str
    format: str
    original_message_id: str | None
    sha256: str
    uploaded_by: str
    uploaded_at: str
    applied: int
    summary: dict[str, int] = Field(description="how many lines had each outcome")
    line_count: int = Field(description="how many lines the file had")
    lines: list[ReturnLineOut]
