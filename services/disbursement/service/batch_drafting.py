"""The maker's side: draft a batch of eligible claims of one fund, take items out, reject a batch.

Decisions are locked (FOR UPDATE, claim id order) before they are read as eligible, so two makers can
never put one claim into two batches; the unique index on held batch items is the backstop.
"""

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from services.disbursement.db import batch_repo
from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.db.batch_tables import BatchRow, BatchTransitionRow
from services.disbursement.db.finance_locks import serialise_writers_on_sqlite
from services.disbursement.db.tables import DecisionRow, outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.domain.approval_policy import same_person
from services.disbursement.service import finance_event_data
from services.disbursement.service.payee_rendering import unrenderable_payees
from services.disbursement.domain.iso20022_ids import new_batch_id
from services.disbursement.domain.finance_errors import BatchState, ClaimsNotBatchable, NotTheMaker
from shared.auth import Principal
from shared.catalog import Catalog
from shared.events import CLAIM_BATCHED, CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, new_event
from shared.logging import get_logger
from shared.money import format_fen
from shared.outbox import enqueue_many
from shared.errors import NotFound, ValidationFailed

log = get_logger("disbursement.batches")


def draft_batch(session: Session, *, maker: Principal, fund: str, programme: str | None,
                claim_ids: list[str] | None, catalog: Catalog, max_items: int,
                source: ClaimSource | None = None) -> BatchRow:
    """A new draft holding the given claims, or (claim_ids None) the oldest eligible claims of the fund.
    With a claim source, each claim's payee is checked against what the bank file can carry first."""
    _check_fund_pays(catalog, fund, programme)
    if claim_ids is not None and len(claim_ids) > max_items:
        raise ValidationFailed(f"a batch holds at most {max_items} claims",
                               errors=[{"field": "claim_ids", "message": f"at most {max_items} claims"}])
    candidates = batch_repo.eligible_ids(session, fund, programme, max_items) if claim_ids is None else claim_ids
    unpayable = unrenderable_payees(source, candidates)  # before any lock: it asks the applications service
    serialise_writers_on_sqlite(session)
    if claim_ids is None:
        # A payee the bank file cannot carry stays out (and eligible) rather than blocking the whole fund.
        rows = [r for r in batch_repo.lock_decisions(session, candidates)
                if _fits(r, fund, programme, catalog) and r.claim_id not in unpayable]
        if not rows:
            which = f"fund {fund}" + (f", programme {programme}" if programme else "")
            raise ClaimsNotBatchable(f"no eligible claims of {which}" + (
                f" whose payee the bank file can carry ({len(unpayable)} cannot)" if unpayable else ""),
                claims=[{"claim_id": cid, "problem": why} for cid, why in sorted(unpayable.items())])
        if unpayable:
            log.warning("disbursement.unpayable_payees_left_out", fund=fund, claim_ids=sorted(unpayable))
    else:
        if unpayable:
            raise ValidationFailed(
                f"{len(unpayable)} claim(s) have a payee account the bank file cannot carry",
                errors=[{"field": "claim_ids", "message": f"claim {cid}: {why}"} for cid, why in sorted(unpayable.items())],
                claims=[{"claim_id": cid, "problem": why} for cid, why in sorted(unpayable.items())])
        rows = batch_repo.lock_decisions(session, claim_ids)
        _check_chosen(rows, claim_ids, fund, programme, catalog)
    now = datetime.now(UTC)
    batch = BatchRow(batch_id=new_batch_id(), fund=fund, programme=programme, status=bs.DRAFT, maker=maker.sub,
                     count=len(rows), total_fen=sum(r.amount_fen for r in rows), created_at=now, updated_at=now)
    session.add(batch)
    session.flush()
    try:
        with session.begin_nested():
            batch_repo.add_items(session, [
                {"batch_id": batch.batch_id, "claim_id": r.claim_id, "programme": r.programme,
                 "policy_id": r.policy_id, "amount_fen": r.amount_fen, "payee_ref": r.payee_ref} for r in rows])
    except IntegrityError as exc:  # the backstop: only reachable if the row locks above were bypassed
        raise ClaimsNotBatchable("a claim is already held by another batch; draft again") from exc
    batch_repo.set_decision_status(session, [r.claim_id for r in rows], bs.IN_BATCH)
    enqueue_many(session, outbox, ((new_event(CLAIM_BATCHED, DISBURSEMENT_SOURCE, r.claim_id,
                                              finance_event_data.claim_batched(r.claim_id, batch)), r.claim_id) for r in rows))
    record(session, batch, bs.DRAFTED, None, maker, detail={"count": batch.count, "total": format_fen(batch.total_fen)})
    log.info("disbursement.batch_drafted", batch_id=batch.batch_id, fund=fund, count=batch.count)
    return batch


def remove_item(session: Session, *, batch_id: str, claim_id: str, actor: Principal, reason: str | None) -> BatchRow:
    """Take one claim out of a draft (the maker only); the claim is eligible again."""
    serialise_writers_on_sqlite(session)
    batch = locked_batch(session, batch_id)
    if batch.status != bs.DRAFT:
        raise BatchState(f"batch {batch_id} is {batch.status}; items can only be removed from a draft")
    if not same_person(actor.sub, batch.maker):
        raise NotTheMaker(f"only the maker of batch {batch_id} may remove its items")
    item = batch_repo.held_item(session, batch_id, claim_id)
    if item is None:
        raise NotFound(f"batch {batch_id} holds no claim {claim_id}")
    now = datetime.now(UTC)
    item.removed_at = item.released_at = now
    batch.count, batch.total_fen, batch.updated_at = batch.count - 1, batch.total_fen - item.amount_fen, now
    session.add_all([item, batch])
    batch_repo.set_decision_status(session, [claim_id], bs.ELIGIBLE)
    _announce_unbatched(session, [claim_id], batch_id, "removed_from_draft")
    record(session, batch, bs.ITEM_REMOVED, bs.DRAFT, actor, reason=reason, detail={"claim_id": claim_id})
    log.info("disbursement.batch_item_removed", batch_id=batch_id, claim_id=claim_id)
    return batch


def reject_batch(session: Session, *, batch_id: str, actor: Principal, reason: str) -> BatchRow:
    """Reject an open batch: its claims are eligible again. Rejecting a rejected batch changes nothing."""
    serialise_writers_on_sqlite(session)
    batch = locked_batch(session, batch_id)
    if batch.status == bs.REJECTED:
        return batch
    if batch.status not in bs.OPEN:
        raise BatchState(f"batch {batch_id} is {batch.status}; only a draft or a batch awaiting approval can be rejected")
    claim_ids = [item.claim_id for item in batch_repo.counted_items(session, batch_id) if item.released_at is None]
    now = datetime.now(UTC)
    before, batch.status, batch.updated_at = batch.status, bs.REJECTED, now
    session.add(batch)
    batch_repo.release_items(session, batch_id, now)
    batch_repo.set_decision_status(session, claim_ids, bs.ELIGIBLE)
    _announce_unbatched(session, claim_ids, batch_id, "batch_rejected")
    record(session, batch, bs.REJECTED_ACTION, before, actor, reason=reason)
    log.info("disbursement.batch_rejected", batch_id=batch_id, count=len(claim_ids))
    return batch


def locked_batch(session: Session, batch_id: str) -> BatchRow:
    batch = batch_repo.lock_batch(session, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    return batch


def record(session: Session, batch: BatchRow, action: str, from_status: str | None, actor: Principal, *,
           reason: str | None = None, detail: dict | None = None) -> None:
    """Who did what to the batch, when and why (the batch's history)."""
    session.add(BatchTransitionRow(batch_id=batch.batch_id, action=action, from_status=from_status,
                                   to_status=batch.status, actor=actor.sub, actor_role=actor.role, reason=reason,
                                   detail=detail, at=datetime.now(UTC)))


def _announce_unbatched(session: Session, claim_ids: list[str], batch_id: str, reason: str) -> None:
    enqueue_many(session, outbox, ((new_event(CLAIM_UNBATCHED, DISBURSEMENT_SOURCE, cid,
                                              finance_event_data.claim_unbatched(cid, batch_id, reason)), cid)
                                   for cid in claim_ids))


def _check_fund_pays(catalog: Catalog, fund: str, programme: str | None) -> None:
    if fund not in catalog.index.funds:
        raise ValidationFailed(f"unknown fund {fund!r}",
                               errors=[{"field": "fund", "message": "not a fund of the catalog"}])
    if programme is not None and not any(p.code == programme and p.fund.code == fund for _, p in catalog.programmes()):
        raise ValidationFailed(f"fund {fund} pays no programme {programme!r}",
                               errors=[{"field": "programme", "message": f"not paid from fund {fund}"}])


def _fits(row: DecisionRow, fund: str, programme: str | None, catalog: Catalog) -> bool:
    """Still eligible, of this fund and programme, and the catalog still says this fund pays it."""
    if row.status != bs.ELIGIBLE or row.fund != fund or (programme is not None and row.programme != programme):
        return False
    return _fits_catalog(row, fund, catalog)


def _check_chosen(rows: list[DecisionRow], claim_ids: list[str], fund: str, programme: str | None,
                  catalog: Catalog) -> None:
    found = {r.claim_id: r for r in rows}
    errors = [{"field": "claim_ids", "message": f"no decided claim {cid}"} for cid in claim_ids if cid not in found]
    if errors:
        raise ValidationFailed(f"{len(errors)} claim(s) are unknown here", errors=errors)
    wrong_fund = [r.claim_id for r in rows if r.fund != fund or not _fits_catalog(r, fund, catalog)]
    if wrong_fund:
        raise ValidationFailed(f"a batch pays from one fund: {len(wrong_fund)} claim(s) are not paid from {fund}",
                               errors=[{"field": "claim_ids", "message": f"claim {cid} is not paid from {fund}"}
                                       for cid in wrong_fund])
    if programme is not None:
        other = [r.claim_id for r in rows if r.programme != programme]
        if other:
            raise ValidationFailed(f"{len(other)} claim(s) are not of programme {programme}",
                                   errors=[{"field": "claim_ids", "message": f"claim {cid} is of another programme"}
                                           for cid in other])
    not_eligible = [r for r in rows if r.status != bs.ELIGIBLE]
    if not_eligible:
        raise ClaimsNotBatchable(f"{len(not_eligible)} claim(s) are not eligible for batching",
                                 claims=[{"claim_id": r.claim_id, "status": r.status} for r in not_eligible])


def _fits_catalog(row: DecisionRow, fund: str, catalog: Catalog) -> bool:
    """Money from one fund never pays a programme of another: the catalog, not the request, says which."""
    try:
        return catalog.fund_for(row.policy_id or "", row.programme) == fund
    except KeyError:
        return False
