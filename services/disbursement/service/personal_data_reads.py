"""The one call every disbursement read of a claimant's personal data goes through (issue 14, point 6).

Engineer "banktrail" builds the access trail (an access_log table per service, copied to the audit by
event); until it lands, a read is recorded as a structured log line with who, in which role, why, and
which batch or claims (ids only: never the data read). Swap the body of record_personal_data_read for
the trail's writer: every caller already passes what the trail needs, in the caller's transaction.
"""

from sqlmodel import Session

from shared.auth import Principal
from shared.logging import get_logger

log = get_logger("disbursement.personal_data")


def record_personal_data_read(session: Session, *, actor: Principal, purpose: str, claim_ids: list[str],
                              fields: tuple[str, ...], batch_id: str | None = None) -> None:
    """Record that `actor` read `fields` (e.g. name, masked account) of these claims, for `purpose`."""
    del session  # the trail's table will be written in this transaction
    log.info("disbursement.personal_data_read", actor=actor.sub, actor_role=actor.role, purpose=purpose,
             batch_id=batch_id, claims=len(claim_ids), first_claim_id=claim_ids[0] if claim_ids else None,
             fields=list(fields))
