"""Running the anomaly rules over what the audit database holds, and storing what they find.

The inputs are re-read from the events as received (never from the disbursement service), and
findings are stored by finding_key, so a run repeated over the same events adds nothing.
"""

import time
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from services.audit.db import received_repo, review_repo
from services.audit.domain.anomalies.engine import AnomalyInputs, RuleParameters, run_rules
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome
from shared.db import unit_of_work
from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED
from shared.logging import get_logger

log = get_logger("audit.anomalies")


def load_inputs(session: Session) -> AnomalyInputs:
    issued: list[IssuedPayment] = []
    batches: list[BatchApproved] = []
    outcomes: list[PaymentOutcome] = []
    for fact in received_repo.facts(session, (PAYMENT_ISSUED, BATCH_APPROVED, PAYMENT_SETTLED, PAYMENT_FAILED)):
        if isinstance(fact, IssuedPayment):
            issued.append(fact)
        elif isinstance(fact, BatchApproved):
            batches.append(fact)
        else:
            outcomes.append(fact)
    return AnomalyInputs(issued, batches, outcomes, review_repo.budgets(session),
                         received_repo.approvals_received(session))


def run_and_store(session: Session, standards: Standards, params: RuleParameters,
                  now: datetime | None = None) -> int:
    """Run every rule and store new findings; returns how many were new."""
    now = now or datetime.now(UTC)
    findings = run_rules(load_inputs(session), standards, as_of=now, params=params)
    new = review_repo.store_findings(session, findings, now)
    if new:
        log.info("audit.findings_stored", new=new, total=len(findings))
    return new


class AnomalySweep:
    """The consumer's after-batch hook: runs the rules at most once per interval (negative: never).

    The rules read every event, so running them after each poll would make ingestion quadratic;
    GET /v1/anomalies runs them on request as well, so nothing waits for the next sweep.
    """

    def __init__(self, engine: Engine, standards: Standards, params: RuleParameters, interval_s: float):
        self.engine, self.standards, self.params, self.interval_s = engine, standards, params, interval_s
        self._last: float | None = None

    def __call__(self) -> None:
        now = time.monotonic()
        if self.interval_s < 0 or (self._last is not None and now - self._last < self.interval_s):
            return
        self._last = now
        try:
            with unit_of_work(self.engine) as session:
                run_and_store(session, self.standards, self.params)
        except Exception:  # noqa: BLE001 - a failed sweep must not stop the consumer; the next one retries
            log.exception("audit.anomaly_sweep_failed")
