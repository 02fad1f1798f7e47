"""The audit consumer's handler: keep every event as received, post it to the ledger, or quarantine it.

Runs inside the consumer's transaction (shared.consumer), so the dedup row, the received event and
the ledger rows commit together or not at all. Events the ledger cannot take are never dead-lettered
silently: they are quarantined (and, where they show money moving wrongly, recorded as findings) and
the transaction commits. An outcome that arrives before its payment's issue waits in quarantine and
is posted when the issue is.
"""

from sqlalchemy.orm import Session

from services.audit import ledger
from services.audit.db import received_repo, review_repo
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, make_finding
from services.audit.domain.errors import AuditDomainError, InvalidEvent, PaymentNotIssued, UnpostableEvent
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome, parse_event
from services.audit.domain.postings import entry_kind
from shared.events import BATCH_APPROVED, FUND_BUDGET_SET, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED, CloudEvent
from shared.money import parse_fen
from shared.logging import get_logger

log = get_logger("audit.intake")

# Money moved differently from what was issued: an anomaly as well as an unposted event. A repeated
# issue or closing is left to reconciliation (duplicate_issued_event, duplicate_settlement).
MONEY_REASONS = {"amount_mismatch", "fund_mismatch", "cross_fund", "unbalanced"}
UNPOSTABLE_RULE = "unpostable_event"


def ingest(session: Session, event: CloudEvent) -> None:
    payload = event.model_dump(mode="json")
    if not received_repo.record(session, event_id=event.id, event_type=event.type, subject=event.subject,
                                payload=payload):
        return  # a twin consumer recorded it first; the consumer's inbox claim rolls this back
    try:
        fact = parse_event(payload)
    except UnpostableEvent as exc:
        _quarantine(session, event.type, exc)
        return
    if isinstance(fact, BatchApproved):
        received_repo.record_approval(session, fact)
        return
    _post(session, event.type, fact)


def _post(session: Session, event_type: str, fact: IssuedPayment | PaymentOutcome) -> None:
    try:
        entry = ledger.record(session, fact)
    except AuditDomainError as exc:
        exc.event_id, exc.payment_id = fact.event_id, fact.payment_id
        _quarantine(session, event_type, exc)
        return
    if entry is not None and entry_kind(entry.postings) == "issue":
        release_waiting(session, fact.payment_id)


def release_waiting(session: Session, payment_id: str) -> None:
    """Post the outcomes that arrived before this payment's issue, in the order they arrived."""
    for row in review_repo.waiting_for_issue(session, payment_id):
        payload = received_repo.payload_of(session, row.event_id)
        fact = received_repo.read_fact(payload) if payload is not None else None
        if not isinstance(fact, PaymentOutcome):
            continue
        try:
            entry = ledger.record(session, fact)
        except UnpostableEvent as exc:
            review_repo.requarantine(session, row.id, exc.reason, exc.detail)  # type: ignore[arg-type]
            _record_finding(session, row.event_id, payment_id, exc)
            continue
        except PaymentNotIssued:
            continue
        if entry is not None:
            review_repo.release(session, row.id, entry.entry_id)  # type: ignore[arg-type]
            log.info("audit.outcome_released", payment_id=payment_id, fund=entry.fund, seq=entry.seq)


def _quarantine(session: Session, event_type: str, exc: AuditDomainError) -> None:
    reason = review_repo.NOT_ISSUED if isinstance(exc, PaymentNotIssued) else exc.reason
    review_repo.quarantine(session, event_id=exc.event_id or "", event_type=event_type, payment_id=exc.payment_id,
                           reason=reason, detail=exc.detail)
    log.warning("audit.event_quarantined", reason=reason, payment_id=exc.payment_id)
    if isinstance(exc, UnpostableEvent):
        _record_finding(session, exc.event_id or "", exc.payment_id, exc)


def _record_finding(session: Session, event_id: str, payment_id: str | None, exc: UnpostableEvent) -> None:
    """Malformed events (nothing else reports them) and money that moved wrongly become findings."""
    if not isinstance(exc, InvalidEvent) and exc.reason not in MONEY_REASONS:
        return
    severity = "high" if exc.reason in MONEY_REASONS else "medium"
    review_repo.store_findings(session, [make_finding(
        UNPOSTABLE_RULE, severity, FUND_SUPERVISION_CLAUSE, f"event not posted ({exc.reason}): {exc.detail}",
        payment_ids=(payment_id,) if payment_id else (), key_ids=(f"event:{event_id}",))])


def record_budget(session: Session, event: CloudEvent) -> None:
    """The budget finance set for a fund and year becomes the one the budget rule checks against."""
    data = event.data
    review_repo.set_budget(session, fund=str(data["fund"]), year=int(data["year"]),
                           amount_fen=parse_fen(data["amount"]), set_by=str(data.get("set_by") or event.source))
    log.info("audit.fund_budget_recorded", fund=data["fund"], year=data["year"])


HANDLERS = {t: ingest for t in (PAYMENT_ISSUED, PAYMENT_SETTLED, PAYMENT_FAILED, BATCH_APPROVED)}
HANDLERS[FUND_BUDGET_SET] = record_budget
