"""The audit consumer's handler: keep every event as received, post it to the ledger, or quarantine it.

Runs inside the consumer's transaction (shared.consumer), so the dedup rows, the received events and
the ledger rows commit together or not at all. Events the ledger cannot take are never dead-lettered
silently: they are quarantined (and, where they show money moving wrongly, recorded as findings) and
the transaction commits. An outcome that arrives before its payment's issue waits in quarantine and
is posted when the issue is.

Set-based: a polled batch is kept with one insert, the ledger is read and locked once for it
(services.audit.service.ledger_batch), its facts are posted one by one in arrival order in memory, and what they
produced is written at the end. A single event (poison isolation re-applies one at a time) is a
batch of one.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from services.audit.db import received_repo, review_repo
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding
from services.audit.domain.errors import AuditDomainError, InvalidEvent, PaymentNotIssued, UnpostableEvent
from services.audit.domain.events import BatchApproved, EventFact, IssuedPayment, PaymentOutcome, parse_event
from services.audit.domain.postings import entry_kind
from services.audit.service.anomaly_intake import AnomalyIntake, default_intake, failed_before
from services.audit.service.ledger_batch import LedgerBatch
from shared import metrics
from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED, CloudEvent
from shared.logging import get_logger

log = get_logger("audit.intake")

# Money moved differently from what was issued: an anomaly as well as an unposted event. A repeated
# issue or closing is left to reconciliation (duplicate_issued_event, duplicate_settlement).
MONEY_REASONS = {"amount_mismatch", "fund_mismatch", "cross_fund", "unbalanced"}
UNPOSTABLE_RULE = "unpostable_event"
LEDGER_TYPES = (PAYMENT_ISSUED, PAYMENT_SETTLED, PAYMENT_FAILED, BATCH_APPROVED)


@dataclass
class _Waiting:
    """An outcome waiting in quarantine for its issue: stored already (row_id) or quarantined by this batch (row)."""

    event_id: str
    fact: EventFact | None
    row_id: int | None = None
    row: dict[str, Any] | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def ingest_events(session: Session, events: list[CloudEvent], anomalies: AnomalyIntake | None = None) -> None:
    """Keep, post or quarantine payment and batch events as one set, in arrival order.

    Whole envelopes, not typed payloads: the audit keeps each event as received (the evidence) and reads
    its fact itself, strictly (domain.events), so that a malformed one is quarantined and reported
    rather than dead-lettered."""
    if events:
        _Intake(session, anomalies or default_intake()).ingest(events)


class _Intake:
    def __init__(self, session: Session, anomalies: AnomalyIntake):
        self.session, self.anomalies = session, anomalies
        self.quarantined: list[dict[str, Any]] = []
        self.findings: list[Finding] = []
        self.approvals: list[BatchApproved] = []
        self.waiting: dict[str, list[_Waiting]] = {}  # by payment id, oldest first
        self.settled: list[_Waiting] = []  # released or requarantined by this batch
        self.released = 0

    def ingest(self, events: list[CloudEvent]) -> None:
        payloads = [event.model_dump(mode="json") for event in events]
        facts = [_read(p) for p in payloads]
        rows = [received_repo.received_row(e.id, e.type, e.subject, p, None if isinstance(f, UnpostableEvent) else f,
                                           payload_json=e.model_dump_json())
                for e, p, f in zip(events, payloads, facts)]
        # The ledger is locked and read before the events are kept, so that PostgreSQL takes the events while
        # their facts are posted in memory (received_repo.record leaves a batch's COPY unsettled).
        payments = [f for f in facts if isinstance(f, (IssuedPayment, PaymentOutcome))]
        self.ledger = LedgerBatch(self.session, {f.fund for f in payments}, {f.payment_id for f in payments})
        self._load_waiting([f.payment_id for f in payments if isinstance(f, IssuedPayment)])
        kept = received_repo.record(self.session, rows)
        # An event not kept now was kept by a twin consumer first; the consumer's inbox claim rolls this back.
        read = [(e.type, f) for e, f in zip(events, facts) if e.id in kept]
        payments = [f for _, f in read if isinstance(f, (IssuedPayment, PaymentOutcome))]
        self.issued = [f for f in payments if isinstance(f, IssuedPayment)]
        self.outcomes = [f for f in payments if isinstance(f, PaymentOutcome)]
        for event_type, fact in read:
            if isinstance(fact, UnpostableEvent):
                self._quarantine(event_type, fact)
            elif isinstance(fact, BatchApproved):
                self.approvals.append(fact)
            else:
                self._post(event_type, fact)
        self._write()

    def _load_waiting(self, issued: list[str]) -> None:
        """Outcomes stored in quarantine earlier for payments this batch issues, with their facts."""
        rows = review_repo.waiting_for_issue(self.session, sorted(set(issued)))
        payloads = received_repo.payloads_of(self.session, [event_id for _, event_id, _ in rows])
        for row_id, event_id, payment_id in rows:
            payload = payloads.get(event_id)
            fact = received_repo.read_fact(payload) if payload is not None else None
            self.waiting.setdefault(payment_id, []).append(_Waiting(event_id, fact, row_id=row_id))

    def _post(self, event_type: str, fact: IssuedPayment | PaymentOutcome) -> None:
        try:
            entry = self.ledger.record(fact)
        except AuditDomainError as exc:
            exc.event_id, exc.payment_id = fact.event_id, fact.payment_id
            self._quarantine(event_type, exc, fact)
            return
        if entry is not None and entry_kind(entry.postings) == "issue":
            self._release_waiting(fact.payment_id)

    def _release_waiting(self, payment_id: str) -> None:
        """Post the outcomes that arrived before this payment's issue, in the order they arrived."""
        for waiting in list(self.waiting.get(payment_id, ())):
            if not isinstance(waiting.fact, PaymentOutcome):
                continue
            try:
                entry = self.ledger.record(waiting.fact)
            except UnpostableEvent as exc:
                waiting.changes.update(review_repo.requarantined(exc.reason, exc.detail))
                self._record_finding(waiting.event_id, payment_id, exc)
            except PaymentNotIssued:
                continue
            else:
                if entry is None:
                    continue
                waiting.changes.update(review_repo.released(entry.entry_id))
                self.released += 1
            self.waiting[payment_id].remove(waiting)
            self.settled.append(waiting)

    def _quarantine(self, event_type: str, exc: AuditDomainError, fact: EventFact | None = None) -> None:
        reason = review_repo.NOT_ISSUED if isinstance(exc, PaymentNotIssued) else exc.reason
        row = review_repo.quarantine_row(event_id=exc.event_id or "", event_type=event_type,
                                         payment_id=exc.payment_id, reason=reason, detail=exc.detail)
        self.quarantined.append(row)
        if isinstance(exc, PaymentNotIssued) and exc.payment_id:
            self.waiting.setdefault(exc.payment_id, []).append(_Waiting(row["event_id"], fact, row=row))
        if isinstance(exc, UnpostableEvent):
            self._record_finding(exc.event_id or "", exc.payment_id, exc)

    def _record_finding(self, event_id: str, payment_id: str | None, exc: UnpostableEvent) -> None:
        """Malformed events (nothing else reports them) and money that moved wrongly become findings."""
        if not isinstance(exc, InvalidEvent) and exc.reason not in MONEY_REASONS:
            return
        severity = "high" if exc.reason in MONEY_REASONS else "medium"
        self.findings.append(make_finding(
            UNPOSTABLE_RULE, severity, FUND_SUPERVISION_CLAUSE, f"event not posted ({exc.reason}): {exc.detail}",
            payment_ids=(payment_id,) if payment_id else (), key_ids=(f"event:{event_id}",)))

    def _write(self) -> None:
        # Read before the ledger's rows are sent: the last of them (the postings) is still being taken while the
        # anomaly side works out its findings and rows.
        failed = failed_before(self.session, self.issued)
        self.ledger.write()
        for waiting in self.settled:
            if waiting.row is not None:  # quarantined by this batch: stored as it ends up
                waiting.row.update(waiting.changes)
            else:
                review_repo.update_quarantined(self.session, waiting.row_id, waiting.changes)  # type: ignore[arg-type]
        review_repo.quarantine(self.session, self.quarantined)
        self.findings += self.anomalies.take(self.session, self.issued, self.outcomes, self.approvals, failed=failed)
        review_repo.store_findings(self.session, self.findings)
        received_repo.record_approvals(self.session, self.approvals)
        metrics.ledger_ingested(self.session, Counter(entry.fund for entry in self.ledger.posted),
                                Counter(row["reason"] for row in self.quarantined))
        self._log()

    def _log(self) -> None:
        posted: dict[str, Counter[str]] = {}
        for entry in self.ledger.posted:
            posted.setdefault(entry.fund, Counter())[entry_kind(entry.postings)] += 1
        quarantined = Counter(row["reason"] for row in self.quarantined)
        (log.warning if quarantined else log.info)(
            "audit.batch_ingested", posted={fund: dict(kinds) for fund, kinds in sorted(posted.items())},
            quarantined=dict(quarantined), released=self.released, approvals=len(self.approvals))


def _read(payload: dict[str, Any]) -> EventFact | UnpostableEvent:
    try:
        return parse_event(payload)
    except UnpostableEvent as exc:
        return exc

