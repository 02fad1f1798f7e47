"""Bulk re-evaluation (POST /v1/reevaluations): once an admin has set an operator parameter, an officer
re-decides every claim rejected with PARAMETER_NOT_SET for it. The run is recorded first (its total), then
worked in chunks after the response, each chunk in its own transaction: GET /v1/reevaluations/{id} shows
how far it has got, and a chunk that fails leaves the ones before it decided.

An officer's review of one rejection (POST /v1/claims/{id}/redecisions) is the same re-decision for one claim.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.disbursement.db import redecisions_repo
from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.db.review_tables import RedecisionRow, ReevaluationRow
from services.disbursement.domain.finance_errors import ApplicationsUnavailable
from services.disbursement.service.claim_redeciding import redecide
from services.disbursement.service.operator_parameters import operator_values
from shared.auth import Principal
from shared.catalog import Catalog
from shared.consumer import RetryLater
from shared.db import unit_of_work
from shared.errors import Conflict, NotFound
from shared.logging import get_logger

log = get_logger("disbursement.reevaluations")
CHUNK = 100  # claims per transaction: progress moves in these steps


def start_reevaluation(session: Session, *, catalog: Catalog, parameter_id: str,
                       officer: Principal) -> tuple[ReevaluationRow, list[str]]:
    """Record a run over the claims rejected for this parameter (409 while it is still unset)."""
    try:
        catalog.parameter(parameter_id)
    except KeyError:
        raise NotFound(f"the catalog has no parameter {parameter_id}") from None
    if parameter_id not in operator_values(session):
        raise Conflict(f"parameter {parameter_id} is not set yet; an admin sets it with PUT /v1/parameters/{parameter_id}")
    claim_ids = redecisions_repo.rejected_for_parameter(session, parameter_id)
    row = ReevaluationRow(reevaluation_id=str(uuid.uuid4()), parameter_id=parameter_id, requested_by=officer.sub,
                          requested_at=datetime.now(UTC), status="running" if claim_ids else "done",
                          total=len(claim_ids), done=0, now_eligible=0, still_rejected=0,
                          finished_at=None if claim_ids else datetime.now(UTC))
    redecisions_repo.add_reevaluation(session, row)
    log.info("disbursement.reevaluation_started", reevaluation_id=row.reevaluation_id, parameter_id=parameter_id,
             total=len(claim_ids))
    return row, claim_ids


def run_reevaluation(engine: Engine, *, reevaluation_id: str, claim_ids: list[str], source: ClaimSource,
                     catalog: Catalog, pii_key: str, officer: Principal) -> None:
    """Work a recorded run chunk by chunk (bodies fetched before each chunk's transaction opens)."""
    try:
        for start in range(0, len(claim_ids), CHUNK):
            filed = source.filed(claim_ids[start:start + CHUNK])
            with unit_of_work(engine) as session:
                parameters = operator_values(session)  # once per chunk, not per claim
                outcomes = [redecide(session, filed=item, catalog=catalog, pii_key=pii_key, actor=officer,
                                     trigger="reevaluation", reevaluation_id=reevaluation_id, parameters=parameters)
                            for item in filed.values()]
                # a claim no longer rejected (decided since) is done but counted in neither
                eligible = sum(1 for o in outcomes if o is not None and o.to_outcome == "eligible")
                rejected = sum(1 for o in outcomes if o is not None and o.to_outcome == "rejected")
                redecisions_repo.advance(session, reevaluation_id, done=len(filed), eligible=eligible,
                                         rejected=rejected)
        _finish(engine, reevaluation_id, "done", None)
    except Exception as exc:  # noqa: BLE001 - the run is marked failed with its reason; the chunks done stay done
        log.warning("disbursement.reevaluation_failed", reevaluation_id=reevaluation_id, error=type(exc).__name__)
        _finish(engine, reevaluation_id, "failed", f"{type(exc).__name__}: {str(exc)[:400]}")


def reevaluation(session: Session, reevaluation_id: str) -> ReevaluationRow:
    row = redecisions_repo.reevaluation(session, reevaluation_id)
    if row is None:
        raise NotFound(f"no re-evaluation {reevaluation_id}")
    return row


def review_rejection(session: Session, *, claim_id: str, source: ClaimSource, catalog: Catalog, pii_key: str,
                     officer: Principal, note: str | None) -> RedecisionRow:
    """An officer re-runs the engine on one rejected claim (the applicant asked for review)."""
    try:
        filed = source.filed([claim_id])[claim_id]
    except RetryLater as exc:
        raise ApplicationsUnavailable(f"the claim cannot be fetched now: {exc}; try again") from None
    except LookupError:
        raise NotFound(f"no claim {claim_id}") from None
    record = redecide(session, filed=filed, catalog=catalog, pii_key=pii_key, actor=officer, trigger="review",
                      note=note)
    if record is None:
        raise Conflict(f"claim {claim_id} is not rejected here; only a rejection is reviewed")
    return record


def redecisions_of(session: Session, claim_id: str) -> list[RedecisionRow]:
    """Every re-decision of a claim, oldest first."""
    return redecisions_repo.for_claim(session, claim_id)


def _finish(engine: Engine, reevaluation_id: str, status: str, error: str | None) -> None:
    with unit_of_work(engine) as session:
        row = redecisions_repo.reevaluation(session, reevaluation_id)
        if row is not None:
            row.status, row.finished_at, row.error = status, datetime.now(UTC), error
            session.add(row)
