"""Run every anomaly rule over the event facts; findings deduplicated on finding_key.

Independent of disbursement: the inputs are the events as received and the catalog data.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from services.audit.domain.anomalies.batches import batch_control_totals, batches_just_under_threshold
from services.audit.domain.anomalies.catalog_checks import (amount_not_standard, fund_not_for_programme,
                                                            qualifying_date_outside_period)
from services.audit.domain.anomalies.entitlement import (duplicate_qualifying_key, exclusive_pair_both_paid,
                                                         per_person_cap_exceeded)
from services.audit.domain.anomalies.findings import Finding, Severity
from services.audit.domain.anomalies.money_flow import fund_budget_exceeded, payee_shared_by_beneficiaries
from services.audit.domain.anomalies.payee_controls import (MAX_BENEFICIARIES, account_receives_for_many,
                                                            payee_changed_repeatedly, payee_name_not_claimant)
from services.audit.domain.anomalies.payments import effective_payments, in_issue_order
from services.audit.domain.anomalies.procedure import OFFICER_ROLE, checker_not_officer, maker_is_checker
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome

RULE_NAMES = (
    "duplicate_qualifying_key", "exclusive_pair_both_paid", "per_person_cap_exceeded",
    "amount_not_standard", "fund_not_for_programme", "programme_not_in_catalog",
    "qualifying_date_outside_period", "maker_is_checker", "checker_not_officer",
    "payee_shared_by_beneficiaries", "fund_budget_exceeded", "fund_budget_not_set",
    "batches_just_under_threshold", "batch_control_totals_mismatch", "event_payload_conflict",
    "payee_name_not_claimant", "payee_changed_repeatedly", "account_receives_for_many",
)


@dataclass(frozen=True)
class AnomalyInputs:
    issued: Sequence[IssuedPayment]
    batches: Sequence[BatchApproved] = ()
    outcomes: Sequence[PaymentOutcome] = ()
    budgets: Mapping[tuple[str, int], int] = field(default_factory=dict)  # (fund, year) -> fen
    # batch id -> when the audit received its approval: events may be in flight for `grace` after that
    approvals_received: Mapping[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleParameters:
    dual_approval_threshold_fen: int = 100_000_000  # GRANTS_DUAL_APPROVAL_THRESHOLD 1000000.00
    near_threshold_ratio: Decimal = Decimal("0.05")
    near_threshold_window: timedelta = timedelta(days=30)
    near_threshold_min_batches: int = 3
    control_totals_grace: timedelta = timedelta(minutes=15)
    officer_role: str = OFFICER_ROLE
    payee_account_max_beneficiaries: int = MAX_BENEFICIARIES  # AUDIT_PAYEE_ACCOUNT_MAX_BENEFICIARIES


def run_rules(inputs: AnomalyInputs, standards: Standards, *, as_of: datetime,
              params: RuleParameters = RuleParameters()) -> list[Finding]:
    """Every rule; each finding once, sorted by rule then key. as_of only delays batch control checks."""
    issued = in_issue_order(inputs.issued)
    granted = effective_payments(issued, inputs.outcomes)
    found: list[Finding] = [
        *duplicate_qualifying_key(granted),
        *exclusive_pair_both_paid(granted, standards),
        *per_person_cap_exceeded(granted, standards),
        *fund_not_for_programme(issued, standards),
        *amount_not_standard(issued, standards),
        *qualifying_date_outside_period(issued, standards),
        *maker_is_checker(issued, inputs.batches),
        *checker_not_officer(issued, params.officer_role),
        *payee_shared_by_beneficiaries(issued),
        *payee_name_not_claimant(issued),
        *payee_changed_repeatedly(issued),
        *account_receives_for_many(granted, params.payee_account_max_beneficiaries),
        *fund_budget_exceeded(granted, inputs.budgets),
        *batches_just_under_threshold(inputs.batches, params.dual_approval_threshold_fen,
                                      ratio=params.near_threshold_ratio, window=params.near_threshold_window,
                                      min_batches=params.near_threshold_min_batches),
        *batch_control_totals(inputs.batches, inputs.issued, as_of=as_of, grace=params.control_totals_grace,
                              received_at=inputs.approvals_received),
    ]
    unique = {f.finding_key: f for f in found}
    return sorted(unique.values(), key=lambda f: (f.rule, f.finding_key))


def filter_findings(findings: Iterable[Finding], *, rule: str | None = None,
                    severity: Severity | None = None) -> list[Finding]:
    """The GET /v1/anomalies?rule=&severity= filter, for stores that hold findings in memory."""
    return [f for f in findings if (rule is None or f.rule == rule) and (severity is None or f.severity == severity)]
