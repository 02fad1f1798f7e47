"""An anomaly round: judges the groups ingest queued, and the batches whose grace period has passed.

Run by the anomaly worker (service.anomaly_worker) in a thread or a process of its own, never the consumer's.
Each round takes the queue a chunk at a time, one transaction a chunk, under an advisory lock so that one replica judges at a time; a round's
cost follows what arrived since the last, never the history. Findings are stored by finding_key (a group
judged twice adds nothing) and a group that no longer yields a finding closes it (finding_work_repo).
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from services.audit.db import anomaly_repo, finding_work_repo, review_repo
from services.audit.domain.anomalies.batches import (batch_control_totals, batches_just_under_threshold,
                                                     near_threshold_floor)
from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.anomalies.entitlement import (duplicate_qualifying_key, exclusive_pair_both_paid,
                                                         per_person_cap_exceeded)
from services.audit.domain.anomalies.findings import Finding
from services.audit.domain.anomalies.money_flow import budget_findings, payee_shared_by_beneficiaries
from services.audit.domain.anomalies.payee_controls import account_receives_for_many
from services.audit.domain.anomalies.scopes import (BATCH, FUND_YEAR, MAKER, PAYEE, PAYEE_ACCOUNT, PERSON, QUALIFYING,
                                                    SCOPE_RULES, scope_key, split_fund_year, split_qualifying)
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import BatchApproved, IssuedPayment
from services.audit.db.received_repo import read_fact
from shared.db import unit_of_work
from shared.logging import get_logger

log = get_logger("audit.anomalies")
CHUNK = 500  # groups (or batches) judged per transaction


@dataclass
class RoundResult:
    scopes: int = 0
    batches: int = 0
    new: int = 0
    closed: int = 0
    reopened: int = 0

    def add(self, counts: dict[str, int]) -> None:
        self.new, self.closed = self.new + counts["new"], self.closed + counts["closed"]
        self.reopened += counts["reopened"]


def judge_chunk(session: Session, standards: Standards, params: RuleParameters, now: datetime,
                result: RoundResult) -> bool:
    """Judge up to CHUNK queued groups and due batches; False when there was nothing left (or another replica
    holds the round)."""
    if not anomaly_repo.try_round_lock(session):
        return False
    due = anomaly_repo.due_scopes(session, CHUNK)
    keys: dict[str, set[str]] = defaultdict(set)
    for _, scope, key in due:
        keys[scope].add(key)
    judged = judge_scopes(session, keys, standards, params)
    batches = anomaly_repo.batches_due(session, now - params.control_totals_grace, CHUNK)
    for batch_id, _ in batches:
        judged[scope_key(BATCH, batch_id)] = (SCOPE_RULES[BATCH], judge_batch(session, batch_id, params, now))
    result.add(finding_work_repo.settle_scopes(session, judged, now))
    anomaly_repo.dequeue(session, [row_id for row_id, _, _ in due])
    for batch_id, changed_at in batches:
        anomaly_repo.judged(session, batch_id, changed_at)
    result.scopes, result.batches = result.scopes + sum(map(len, keys.values())), result.batches + len(batches)
    return bool(due or batches)


Judged = dict[str, tuple[tuple[str, ...], list[Finding]]]  # scope key -> (the group's rules, what it yields)


def judge_scopes(session: Session, keys: Mapping[str, set[str]], standards: Standards,
                 params: RuleParameters) -> Judged:
    """The cross-event rules of these groups, each over its own members (read a kind at a time, set-based)."""
    judged: Judged = {}

    def put(scope: str, key: str, found: list[Finding]) -> None:
        judged[scope_key(scope, key)] = (SCOPE_RULES[scope], found)

    if keys.get(QUALIFYING):
        wanted = {split_qualifying(key): key for key in keys[QUALIFYING]}
        members = _grouped(anomaly_repo.payments_where(session, *anomaly_repo.by_qualifying_keys(
            session, list(wanted)), granted_only=True),
            lambda p: (p.policy_id, p.programme, p.qualifying_key))
        for triple, key in wanted.items():
            put(QUALIFYING, key, duplicate_qualifying_key(members.get(triple, [])))
    if keys.get(PERSON):
        members = _grouped(anomaly_repo.payments_where(session, *anomaly_repo.by_persons(
            session, sorted(keys[PERSON])), granted_only=True), lambda p: p.person_ref)
        for key in keys[PERSON]:
            granted = members.get(key, [])
            put(PERSON, key, [*exclusive_pair_both_paid(granted, standards), *per_person_cap_exceeded(granted,
                                                                                                      standards)])
    if keys.get(PAYEE):
        members = _grouped(anomaly_repo.payments_where(session, *anomaly_repo.by_personal_payees(
            session, sorted(keys[PAYEE]))), lambda p: p.payee_ref)
        for key in keys[PAYEE]:
            put(PAYEE, key, payee_shared_by_beneficiaries(members.get(key, [])))
    if keys.get(PAYEE_ACCOUNT):
        members = _grouped(anomaly_repo.first_granted_per_beneficiary(session, sorted(keys[PAYEE_ACCOUNT])),
                           lambda p: p.payee_ref)
        for key in keys[PAYEE_ACCOUNT]:
            put(PAYEE_ACCOUNT, key, account_receives_for_many(members.get(key, []),
                                                              params.payee_account_max_beneficiaries))
    for key in keys.get(FUND_YEAR, ()):
        put(FUND_YEAR, key, judge_fund_year(session, *split_fund_year(key)))
    threshold, ratio = params.dual_approval_threshold_fen, params.near_threshold_ratio
    for key in keys.get(MAKER, ()):
        near = anomaly_repo.approvals_near(session, key, near_threshold_floor(threshold, ratio), threshold)
        put(MAKER, key, batches_just_under_threshold(near, threshold, ratio=ratio, window=params.near_threshold_window,
                                                     min_batches=params.near_threshold_min_batches))
    unknown = set(keys) - set(SCOPE_RULES)
    if unknown:
        raise ValueError(f"unknown anomaly scopes {sorted(unknown)}")
    return judged


def _grouped(payments: list[IssuedPayment], key: Callable[[IssuedPayment], Any]) -> dict[Any, list[IssuedPayment]]:
    groups: dict[Any, list[IssuedPayment]] = defaultdict(list)
    for p in payments:
        groups[key(p)].append(p)
    return groups


def judge_fund_year(session: Session, fund: str, year: int) -> list[Finding]:
    """From the running totals; the payment that crossed the budget is looked up only when it is crossed."""
    total = anomaly_repo.fund_year_total(session, fund, year)
    if total is None:
        return []
    budget = review_repo.budgets_of(session, fund, year)
    crossing = anomaly_repo.budget_crossing(session, fund, year, budget) if budget is not None and total > budget \
        else None
    payment, after = crossing if crossing is not None else (None, 0)
    return budget_findings(fund, year, total, budget, payment, after)


def judge_batch(session: Session, batch_id: str, params: RuleParameters, now: datetime) -> list[Finding]:
    """The batch's control totals against the issued events received for it."""
    approvals, received_at = [], {}
    for payload, at in anomaly_repo.approval_payloads(session, batch_id):
        fact = read_fact(payload)
        if isinstance(fact, BatchApproved):
            approvals.append(fact)
            received_at[batch_id] = at
    payments = anomaly_repo.payments_where(session, *anomaly_repo.of_batch(batch_id))
    # The rule counts issued events, repeats of a payment under another event id included; the facts hold
    # each payment once, so the repeats are stood in for by the first payment again (the rule keeps the first).
    payments += payments[:1] * max(0, anomaly_repo.issued_events_of(session, batch_id) - len(payments))
    return batch_control_totals(approvals, payments, as_of=now, grace=params.control_totals_grace,
                                received_at=received_at)


def run_round(engine: Engine, standards: Standards, params: RuleParameters, now: datetime | None = None,
              max_chunks: int = 1000) -> RoundResult:
    """Judge everything due now, a chunk a transaction."""
    result = RoundResult()
    for _ in range(max_chunks):
        with unit_of_work(engine) as session:
            if not judge_chunk(session, standards, params, now or datetime.now(UTC), result):
                break
    if result.new or result.closed or result.reopened:
        log.info("audit.anomaly_round", scopes=result.scopes, batches=result.batches, new=result.new,
                 closed=result.closed, reopened=result.reopened)
    return result
