"""Queries on re-decisions and bulk re-evaluations."""

from sqlalchemy import select, update
from sqlmodel import Session

from services.disbursement.db.review_tables import RedecisionRow, ReevaluationRow
from services.disbursement.db.tables import DecisionRow

PARAMETER_NOT_SET = "PARAMETER_NOT_SET"


def rejected_for_parameter(session: Session, parameter_id: str) -> list[str]:
    """Claim ids of rejected decisions with a PARAMETER_NOT_SET reason naming this parameter, oldest first."""
    query = (select(DecisionRow.claim_id, DecisionRow.document).where(DecisionRow.status == "rejected")
             .order_by(DecisionRow.decided_at, DecisionRow.claim_id))
    named = f"parameter {parameter_id} "  # the reason's message names the parameter (rules.context)
    return [claim_id for claim_id, document in session.execute(query)
            if any(r.get("code") == PARAMETER_NOT_SET and named in r.get("message", "")
                   for r in (document or {}).get("reasons", []))]


def add_redecision(session: Session, row: RedecisionRow) -> None:
    session.add(row)


def for_claim(session: Session, claim_id: str) -> list[RedecisionRow]:
    query = select(RedecisionRow).where(RedecisionRow.claim_id == claim_id).order_by(RedecisionRow.id)
    return list(session.execute(query).scalars())


def reevaluation(session: Session, reevaluation_id: str) -> ReevaluationRow | None:
    return session.get(ReevaluationRow, reevaluation_id)


def add_reevaluation(session: Session, row: ReevaluationRow) -> None:
    session.add(row)


def advance(session: Session, reevaluation_id: str, *, done: int, eligible: int, rejected: int) -> None:
    """Add a chunk's counts to the run's progress (one UPDATE: readers see it once the chunk commits)."""
    table = ReevaluationRow.__table__
    session.execute(update(table).where(table.c.reevaluation_id == reevaluation_id).values(
        done=table.c.done + done, now_eligible=table.c.now_eligible + eligible,
        still_rejected=table.c.still_rejected + rejected))


def replace_decision(session: Session, claim_id: str, values: dict) -> None:
    session.execute(update(DecisionRow).where(DecisionRow.claim_id == claim_id).values(**values)
                    .execution_options(synchronize_session=False))
