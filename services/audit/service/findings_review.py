"""What auditors review beside the ledger: the anomaly findings (the rules run first, over every event
received so far, so nothing waits for the next sweep) and the events quarantined instead of posted."""

from sqlmodel import Session

from services.audit.db import review_repo
from services.audit.db.review_tables import FindingRow, QuarantinedEventRow
from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.anomalies.standards import Standards
from services.audit.service.anomaly_sweep import run_and_store


def findings_page(session: Session, *, standards: Standards, params: RuleParameters, rule: str | None,
                  severity: str | None, after_id: int, limit: int) -> list[FindingRow]:
    """Up to `limit` findings after row id `after_id`, in the order first found."""
    run_and_store(session, standards, params)
    session.flush()
    return review_repo.findings_page(session, rule=rule, severity=severity, after_id=after_id, limit=limit)


def quarantined_page(session: Session, *, reason: str | None, after_id: int, limit: int) -> list[QuarantinedEventRow]:
    return review_repo.quarantine_page(session, reason=reason, after_id=after_id, limit=limit)
