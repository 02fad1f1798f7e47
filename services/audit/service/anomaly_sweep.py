"""The anomaly worker: judges the groups ingest queued, and the batches whose grace period has passed.

Runs in a worker thread of its own (never the consumer's), woken after each consumed batch and otherwise every
`interval` seconds, so the time-based batch check falls due without new events. Each round takes the queue a
chunk at a time, one transaction a chunk, under an advisory lock so that one replica judges at a time; a round's
cost follows what arrived since the last, never the history. Findings are stored by finding_key (a group
judged twice adds nothing) and a group that no longer yields a finding closes it (finding_work_repo).
"""

import threading
from dataclasses import dataclass, field
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
from services.audit.domain.anomalies.scopes import (BATCH, FUND_YEAR, MAKER, PAYEE, PERSON, QUALIFYING, SCOPE_RULES,
                                                    scope_key, split_fund_year, split_qualifying)
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import BatchApproved
from services.audit.db.received_repo import read_fact
from shared.db import unit_of_work
from shared.logging import get_logger
from shared.workers import Heartbeat

log = get_logger("audit.anomalies")
CHUNK = 500  # groups (or batches) judged per transaction
IDLE_SECONDS = 5.0


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
    for scope, key in sorted({(s, k) for _, s, k in due}):
        result.add(finding_work_repo.settle_scope(session, scope_key(scope, key), SCOPE_RULES[scope],
                                                  judge_scope(session, scope, key, standards, params), now))
        result.scopes += 1
    anomaly_repo.dequeue(session, [row_id for row_id, _, _ in due])
    batches = anomaly_repo.batches_due(session, now - params.control_totals_grace, CHUNK)
    for batch_id, changed_at in batches:
        result.add(finding_work_repo.settle_scope(session, scope_key(BATCH, batch_id), SCOPE_RULES[BATCH],
                                                  judge_batch(session, batch_id, params, now), now))
        anomaly_repo.judged(session, batch_id, changed_at)
        result.batches += 1
    return bool(due or batches)


def judge_scope(session: Session, scope: str, key: str, standards: Standards,
                params: RuleParameters) -> list[Finding]:
    """The cross-event rules of one group, over that group's members only."""
    if scope == QUALIFYING:
        return duplicate_qualifying_key(anomaly_repo.payments_where(
            session, *anomaly_repo.of_qualifying_key(*split_qualifying(key)), granted_only=True))
    if scope == PERSON:
        granted = anomaly_repo.payments_where(session, *anomaly_repo.of_person(key), granted_only=True)
        return [*exclusive_pair_both_paid(granted, standards), *per_person_cap_exceeded(granted, standards)]
    if scope == PAYEE:
        return payee_shared_by_beneficiaries(anomaly_repo.payments_where(session, *anomaly_repo.of_personal_payee(key)))
    if scope == FUND_YEAR:
        return judge_fund_year(session, *split_fund_year(key))
    if scope == MAKER:
        threshold = params.dual_approval_threshold_fen
        near = anomaly_repo.approvals_near(session, key, near_threshold_floor(threshold, params.near_threshold_ratio),
                                           threshold)
        return batches_just_under_threshold(near, threshold, ratio=params.near_threshold_ratio,
                                            window=params.near_threshold_window,
                                            min_batches=params.near_threshold_min_batches)
    raise ValueError(f"unknown anomaly scope {scope!r}")


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


@dataclass
class AnomalySweep:
    """The worker: a round whenever woken (after each consumed batch) and at least every interval seconds."""

    engine: Engine
    standards: Standards
    params: RuleParameters
    interval_s: float = 60.0
    stop_event: threading.Event = field(default_factory=threading.Event)
    wake_event: threading.Event = field(default_factory=threading.Event)
    heartbeat: Heartbeat = field(default_factory=Heartbeat)

    def run(self) -> None:
        wait = min(self.interval_s, IDLE_SECONDS) if self.interval_s > 0 else IDLE_SECONDS
        while not self.stop_event.is_set():
            self.round()
            self.wake_event.wait(wait)
            self.wake_event.clear()

    def round(self) -> RoundResult:
        self.heartbeat.tried()
        try:
            result = run_round(self.engine, self.standards, self.params)
            self.heartbeat.succeeded()
            return result
        except Exception:  # noqa: BLE001 - a failed round must not end the worker; the queue stays for the next
            log.exception("audit.anomaly_round_failed")
            return RoundResult()

    def wake(self) -> None:
        self.wake_event.set()

    def __call__(self) -> None:  # the consumer's after-batch hook: wake the worker, never judge in its thread
        self.wake()

    def stop(self) -> None:
        self.stop_event.set()
        self.wake_event.set()
