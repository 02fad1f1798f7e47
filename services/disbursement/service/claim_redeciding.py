"""Deciding a rejected claim again (issue 14, point 3): the engine re-runs on the claim as filed, with the
grants and operator parameters in force now, as of the claim's own decision date. Amounts only ever come
from the engine. Each re-decision is recorded (who, when, trigger, catalog hash, from and to) and announced
by grants.claim.redecided, which moves the applicant's claim and writes its history.
"""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from services.disbursement.db import batch_repo, grants_repo, redecisions_repo
from services.disbursement.db.review_tables import RedecisionRow
from services.disbursement.db.tables import outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.domain.rules import evaluate, grant_record, history_refs
from services.disbursement.service.claim_deciding import decision_date, decision_row
from services.disbursement.service.operator_parameters import operator_values
from shared.auth import Principal
from shared.catalog import Catalog
from shared.claims import parse_claim
from shared.events import CLAIM_REDECIDED, DISBURSEMENT_SOURCE, new_event
from shared.logging import get_logger
from shared.outbox import enqueue

log = get_logger("disbursement.redeciding")


def redecide(session: Session, *, filed: dict[str, Any], catalog: Catalog, pii_key: str, actor: Principal,
             trigger: str, reevaluation_id: str | None = None, note: str | None = None,
             parameters: dict[str, str] | None = None) -> RedecisionRow | None:
    """Decide `filed` (the claim as the applications service holds it) again, if it is still rejected here;
    None when it is not (decided otherwise since, withdrawn): nothing changes then. `parameters`: the operator
    values in force, when the caller has read them for many claims (default: read here)."""
    claim_id = filed["claim_id"]
    [current] = batch_repo.lock_decisions(session, [claim_id]) or [None]
    if current is None or current.status != bs.REJECTED_DECISION:
        return None
    claim = parse_claim(filed["body"])
    refs = history_refs(claim, catalog, pii_key=pii_key)
    grants_repo.lock_subjects(session, refs)
    as_of = decision_date(datetime.fromisoformat(filed["submitted_at"]))
    decision = evaluate(claim, grants_repo.history(session, refs), catalog, as_of, pii_key=pii_key,
                        parameters=operator_values(session) if parameters is None else parameters)
    now = datetime.now(UTC)
    row = decision_row(claim_id, claim, decision, pii_key, now)
    redecisions_repo.replace_decision(session, claim_id, {k: v for k, v in row.items() if k != "claim_id"})
    if decision.outcome == "eligible":
        grants_repo.add_grants(session, [(grant_record(decision, claim_id=claim_id), now)])
    record = RedecisionRow(claim_id=claim_id, trigger=trigger, reevaluation_id=reevaluation_id, decided_by=actor.sub,
                           decided_role=actor.role, decided_at=now, catalog_hash=decision.catalog_hash,
                           from_outcome=current.outcome, to_outcome=decision.outcome, amount_fen=decision.amount_fen,
                           note=note)
    redecisions_repo.add_redecision(session, record)
    enqueue(session, outbox, new_event(CLAIM_REDECIDED, DISBURSEMENT_SOURCE, claim_id, {
        "claim_id": claim_id, "programme": decision.programme, "beneficiary_ref": decision.beneficiary_ref,
        "decision": row["document"], "catalog_hash": decision.catalog_hash, "trigger": trigger,
        "redecided_by": actor.sub, "redecided_at": now.isoformat(), "reevaluation_id": reevaluation_id}), key=claim_id)
    log.info("disbursement.claim_redecided", claim_id=claim_id, trigger=trigger, outcome=decision.outcome,
             reasons=[r.code for r in decision.reasons])
    return record
