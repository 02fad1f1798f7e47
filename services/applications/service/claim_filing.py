"""Filing a claim: validate, deduplicate on the Idempotency-Key, record, and stage grants.claim.submitted."""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.db.tables import ClaimHistoryRow, ClaimRow, outbox
from services.applications.domain.status import SUBMITTED
from shared.bank_text import nfc_json
from shared.claims import ClaimInvalid, parse_claim
from shared.events import APPLICATIONS_SOURCE, CLAIM_SUBMITTED, new_event
from shared.identifiers import pseudonymise
from shared.logging import get_logger
from shared.outbox import enqueue
from shared.errors import Conflict, ValidationFailed

log = get_logger("applications.intake")


def request_digest(raw: Any) -> str:
    """Same body = same JSON value, whatever the key order or spacing."""
    return hashlib.sha256(json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


@dataclass(frozen=True)
class Filed:
    claim: ClaimRow
    history: list[ClaimHistoryRow]
    created: bool


def file_claim(*, db_session: Session, applicant_sub: str, idempotency_key: str, raw: Any, pii_key: str) -> Filed:
    """The claim filed (created) or, for a replay of the same key and body, the first one; another body is a 409.
    The body is kept with every string in NFC (shared.bank_text): the spelling the bank file is rendered from."""
    raw = nfc_json(raw)
    try:
        claim = parse_claim(raw)
    except ClaimInvalid as exc:
        raise ValidationFailed(str(exc)[:1000], errors=exc.errors) from exc
    digest = request_digest(raw)
    now = datetime.now(UTC)
    values = dict(
        claim_id=str(uuid.uuid4()), applicant_sub=applicant_sub, idempotency_key=idempotency_key,
        request_sha256=digest, programme=claim.body.programme, jurisdiction=claim.body.jurisdiction,
        beneficiary_ref=pseudonymise(claim.body.claimant.identifier, pii_key), body=raw,
        status=SUBMITTED, submitted_at=now, updated_at=now,
    )
    if not claims_repo.insert_unless_key_taken(db_session, values):
        # The key is taken (a retry, or a concurrent twin that won the insert): answer as its replay.
        existing = claims_repo.by_idempotency_key(db_session, applicant_sub, idempotency_key)
        if existing is None:
            raise Conflict("a concurrent request with this Idempotency-Key did not complete; retry")
        return Filed(_replay(existing, digest), claims_repo.history(db_session, [existing.claim_id])[existing.claim_id],
                     created=False)
    row = ClaimRow(**values)
    submitted = ClaimHistoryRow(claim_id=row.claim_id, status=SUBMITTED, at=now)
    claims_repo.add_history(db_session, {"claim_id": row.claim_id, "status": SUBMITTED, "at": now})
    event = new_event(CLAIM_SUBMITTED, APPLICATIONS_SOURCE, row.claim_id, {
        "claim_id": row.claim_id, "programme": row.programme, "jurisdiction": row.jurisdiction,
        "beneficiary_ref": row.beneficiary_ref, "submitted_at": now.isoformat(),
    })
    enqueue(db_session, outbox, event, key=row.claim_id)
    log.info("applications.claim_filed", claim_id=row.claim_id, programme=row.programme)
    return Filed(row, [submitted], created=True)  # its whole history: no need to read it back


def _replay(existing: ClaimRow, digest: str) -> ClaimRow:
    if existing.request_sha256 != digest:
        raise Conflict("this Idempotency-Key was already used with a different request body",
                       claim_id=existing.claim_id)
    return existing
