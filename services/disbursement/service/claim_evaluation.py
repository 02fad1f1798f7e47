"""What-if evaluation (POST /v1/evaluations): the decision a claim would get, recording nothing.

It is dated by the rule the decider dates real decisions by (claim_deciding.decision_date), so an
officer's what-if and the decision the claim then gets agree at any hour of the China day.
"""

from datetime import date, datetime

from sqlmodel import Session

from services.disbursement.db import grants_repo
from services.disbursement.domain.rules import Decision, UnknownParameter, evaluate, history_refs
from services.disbursement.service.claim_deciding import decision_date
from services.disbursement.service.operator_parameters import operator_values
from shared.catalog import Catalog
from shared.claims import Claim
from shared.errors import ValidationFailed


def what_if(session: Session, *, claim: Claim, catalog: Catalog, pii_key: str, now: datetime,
            as_of: date | None = None, overrides: dict[str, str] | None = None) -> tuple[Decision, date]:
    """The decision as of `as_of` (default: the decision date of `now`) against the grants recorded so far,
    with operator parameters (and `overrides` over them); returns it with the date it was made for."""
    day = as_of or decision_date(now)
    earlier = grants_repo.history(session, history_refs(claim, catalog, pii_key=pii_key))
    try:
        parameters = {**operator_values(session), **(overrides or {})}
        decision = evaluate(claim, earlier, catalog, day, pii_key=pii_key, parameters=parameters)
    except (UnknownParameter, ValueError) as exc:
        raise ValidationFailed(str(exc), errors=[{"field": "parameters", "message": str(exc)}]) from exc
    session.rollback()  # nothing of an evaluation is kept
    return decision, day
