"""The entitlements officers batch from: eligible decisions, filtered and paged oldest first."""

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from services.disbursement.db.tables import DecisionRow


def page(session: Session, *, status: str | None, programme: str | None, fund: str | None,
         after: tuple[datetime, str] | None, limit: int) -> list[DecisionRow]:
    # no status: every eligible decision wherever it stands; a status (rejected included) is that status alone
    query = select(DecisionRow).where(DecisionRow.status == status if status else DecisionRow.outcome == "eligible")
    if programme:
        query = query.where(DecisionRow.programme == programme)
    if fund:
        query = query.where(DecisionRow.fund == fund)
    if after is not None:
        at, claim_id = after
        query = query.where(or_(DecisionRow.decided_at > at,
                                and_(DecisionRow.decided_at == at, DecisionRow.claim_id > claim_id)))
    query = query.order_by(DecisionRow.decided_at, DecisionRow.claim_id).limit(limit)
    return list(session.execute(query).scalars())
