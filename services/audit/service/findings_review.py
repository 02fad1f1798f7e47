"""What auditors review beside the ledger: the anomaly findings as stored (ingest and the anomaly worker keep
them current; nothing is computed on request) and the events quarantined instead of posted."""

from sqlmodel import Session

from services.audit.db import review_repo
from services.audit.db.review_tables import FindingRow, QuarantinedEventRow


def findings_page(session: Session, *, rule: str | None, severity: str | None, status: str | None, after_id: int,
                  limit: int) -> list[FindingRow]:
    """Up to `limit` findings after row id `after_id`, in the order first found."""
    return review_repo.findings_page(session, rule=rule, severity=severity, status=status, after_id=after_id,
                                     limit=limit)


def quarantined_page(session: Session, *, reason: str | None, after_id: int, limit: int) -> list[QuarantinedEventRow]:
    return review_repo.quarantine_page(session, reason=reason, after_id=after_id, limit=limit)
