"""The one call every disbursement read of a claimant's personal data goes through (issue 14, point 6): a
record per claim on the service's access trail (shared.access_trail), in the caller's transaction, copied to
the audit by event. Ids and field names only: never the data read."""

from sqlmodel import Session

from services.disbursement.db.access_log import trail
from shared.access_trail import BATCH_REVIEW
from shared.auth import Principal


def record_personal_data_read(session: Session, *, actor: Principal, purpose: str, claim_ids: list[str],
                              fields: tuple[str, ...], batch_id: str | None = None) -> None:
    """Record that `actor` read `fields` (e.g. name, masked account) of these claims, for `purpose`."""
    trail.record_many(session, actor, action=BATCH_REVIEW, purpose=purpose, claim_ids=claim_ids,
                      batch_id=batch_id, fields=fields)
