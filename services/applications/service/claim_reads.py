"""Reading claims back: one claim as its claimant (or staff) may see it, an applicant's own claims page by
page, and claim bodies for the services that act on them (claim check)."""

from dataclasses import replace

from sqlmodel import Session

from services.applications.db import claims_repo
from services.applications.db.access_log import trail
from services.applications.db.tables import ClaimHistoryRow, ClaimRow
from services.applications.domain import plain_words
from services.applications.domain.search_index import ClaimFilters
from services.applications.domain.status import PAYMENT_FAILED
from shared.access_trail import CLAIM_READ
from shared.auth import STAFF, Principal
from shared.errors import NotFound

ClaimWithHistory = tuple[ClaimRow, list[ClaimHistoryRow]]


def visible_claim(session: Session, claim_id: str, caller: Principal) -> ClaimWithHistory:
    """The claim and its history; staff see every claim, an applicant only their own (anything else: 404)."""
    row = claims_repo.by_claim_id(session, claim_id)
    if row is None or (caller.role not in STAFF and row.applicant_sub != caller.sub):
        raise NotFound(f"no claim {claim_id} visible to you")
    return row, history_of(session, claim_id)


def explained(row: ClaimRow, history: list[ClaimHistoryRow], accept_language: str | None) -> dict:
    """The claim's status in plain words (domain.plain_words), with the bank's reason of its last failure."""
    # the row that moved the claim into payment_failed carries the bank's reason; rows added while it stays
    # there (a payee correction) do not
    failures = [h for before, h in zip([None, *history], history)
                if h.status == PAYMENT_FAILED and (before is None or before.status != PAYMENT_FAILED)]
    reason = plain_words.bank_reason_of(failures[-1].detail) if failures else None
    return plain_words.explain(row.status, reason, plain_words.language_of(accept_language))


def history_of(session: Session, claim_id: str) -> list[ClaimHistoryRow]:
    return claims_repo.history(session, [claim_id])[claim_id]


def search_claims(session: Session, caller: Principal, filters: ClaimFilters, *, after_id: int,
                  limit: int) -> list[ClaimWithHistory]:
    """Staff search every claim; an applicant's search (the contract's "own claims") never leaves their own."""
    if caller.role not in STAFF:
        filters = replace(filters, applicant_sub=caller.sub)
    rows = claims_repo.search(session, filters, after_id, limit)
    histories = claims_repo.history(session, [r.claim_id for r in rows])
    return [(row, histories[row.claim_id]) for row in rows]


# what a claim body holds of a person (its values never reach the trail, only these names)
BODY_FIELDS = ("claimant.id_number", "claimant.name", "payee_account")


def claim_body(session: Session, claim_id: str, reader: Principal) -> ClaimRow:
    """A claim's full body for a service acting on it; the read is on the access trail."""
    row = claims_repo.by_claim_id(session, claim_id)
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    trail.record(session, reader, action=CLAIM_READ, purpose="claim body for the service acting on it",
                 claim_id=claim_id, fields=BODY_FIELDS)
    return row


def claims_by_id(session: Session, claim_ids: list[str], reader: Principal) -> dict[str, ClaimRow]:
    """The claims of these ids that exist, by id; each read is on the access trail."""
    rows = {row.claim_id: row for row in claims_repo.by_claim_ids(session, claim_ids)}
    trail.record_many(session, reader, action=CLAIM_READ, purpose="claim bodies for the service acting on them",
                      claim_ids=list(rows), fields=BODY_FIELDS)
    return rows
