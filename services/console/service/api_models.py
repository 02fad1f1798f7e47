"""The shapes the console reads from the three services (contract §3-§5, docs/api.md, docs/finance.md).
Money stays the APIs' two-place decimal string; unknown fields are kept, so an API that grows new fields
(issue 14) needs no change here until a page shows them."""

from typing import Any

from pydantic import BaseModel, ConfigDict


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Reason(ApiModel):
    code: str
    message: str
    clause: str | None = None


class Step(ApiModel):
    step: str
    value: str
    clause: str | None = None


class Decision(ApiModel):
    outcome: str
    amount: str
    currency: str = "CNY"
    fund: str | None = None
    policy_id: str | None = None
    clause: str | None = None
    reasons: list[Reason] = []
    computation: list[Step] = []
    decided_at: str | None = None


class HistoryItem(ApiModel):
    status: str
    at: str
    detail: str | None = None


class Explanation(ApiModel):
    """The claim's status in plain words, in the language the console asked for (docs/api.md §3)."""

    status: str
    language: str
    reason_code: str | None = None
    message: str
    next_step: str | None = None


class Claim(ApiModel):
    claim_id: str
    status: str
    programme: str
    jurisdiction: str
    submitted_at: str
    decision: Decision | None = None
    history: list[HistoryItem] = []
    review: str | None = None  # None, "requested" or "answered"
    explanation: Explanation | None = None


class Entitlement(ApiModel):
    claim_id: str
    status: str
    programme: str
    fund: str
    amount: str
    clause: str | None = None
    decided_at: str


class BatchItem(ApiModel):
    claim_id: str
    programme: str
    amount: str
    payment_id: str | None = None
    payment_status: str | None = None
    reason_code: str | None = None
    # The officer's review (docs/api.md §4): names and the masked account the bank file pays, the decision's
    # clause, reasons and computation, and what deserves a second look.
    claimant_name: str | None = None
    payee_name: str | None = None
    payee_account_masked: str | None = None
    payee_bank: str | None = None
    clause: str | None = None
    reasons: list[Reason] = []
    computation: list[Step] = []
    flags: list[str] = []


class Approval(ApiModel):
    checker: str
    role: str
    at: str


class Transition(ApiModel):
    action: str
    from_status: str | None = None
    to_status: str | None = None
    actor: str
    actor_role: str | None = None
    reason: str | None = None
    detail: dict[str, Any] | None = None  # a refused approval's code and figures
    at: str


class BatchReview(ApiModel):
    available: bool
    flagged_items: int = 0


class Batch(ApiModel):
    batch_id: str
    fund: str
    programme: str | None = None
    status: str
    maker: str
    count: int
    total: str
    checkers_required: int = 1
    created_at: str
    approved_at: str | None = None
    items: list[BatchItem] = []
    approvals: list[Approval] = []
    history: list[Transition] = []
    review: BatchReview | None = None  # officers only


class ReturnLine(ApiModel):
    line_no: int
    end_to_end_id: str | None = None
    outcome: str
    message: str | None = None
    claim_id: str | None = None


class BankReturn(ApiModel):
    upload_id: str
    format: str
    uploaded_by: str
    uploaded_at: str
    summary: dict[str, int] = {}
    lines: list[ReturnLine] = []


class StatementMatch(ApiModel):
    entry_no: int
    payment_id: str


class StatementEntryUnmatched(ApiModel):
    entry_no: int
    reference: str | None = None
    amount: str
    reason: str


class StatementPaymentUnmatched(ApiModel):
    payment_id: str
    batch_id: str
    amount: str
    status: str


class StatementReconciled(ApiModel):
    """POST /v1/bank-statements: a camt.053/054 statement matched against its fund's payments."""
    form: str
    statement_id: str
    fund: str
    period: list[str] | None = None
    debits: int
    matched: list[StatementMatch] = []
    unmatched_entries: list[StatementEntryUnmatched] = []
    unmatched_payments: list[StatementPaymentUnmatched] = []
    currency: str = "CNY"


class FundYear(ApiModel):
    fund: str
    name: str | None = None
    year: int
    budget: str | None = None
    issued: str
    remaining: str | None = None
    budget_set_by: str | None = None


class Funds(ApiModel):
    year: int
    items: list[FundYear]
    approval_limits: dict[str, Any] = {}


class Finding(ApiModel):
    finding_key: str
    rule: str
    severity: str
    clause: str
    payment_ids: list[str] = []
    batch_ids: list[str] = []
    detail: str
    found_at: str
    status: str = "open"
    status_by: str | None = None
    status_at: str | None = None
    status_note: str | None = None


class StatusChange(ApiModel):
    from_status: str
    status: str
    actor: str
    role: str
    note: str
    at: str


class Recovery(ApiModel):
    amount: str
    currency: str = "CNY"
    entry_id: str
    note: str = ""
    recorded_by: str
    recorded_at: str


class FindingRecord(Finding):
    history: list[StatusChange] = []
    recoveries: list[Recovery] = []
    recovered: str = "0.00"


class PayeeConfirmed(ApiModel):
    claim_id: str
    status: str
    confirmed_by: str


class Reevaluation(ApiModel):
    reevaluation_id: str
    parameter_id: str
    status: str  # running, done, failed
    requested_by: str
    requested_at: str
    total: int
    done: int
    now_eligible: int
    still_rejected: int
    finished_at: str | None = None
    error: str | None = None

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class Parameter(ApiModel):
    id: str
    clause: str
    unit: str
    source: str
    operator_value: str | None = None


class Page(ApiModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = None
