"""Deciding a submitted claim: lock the people it touches, read their grants, evaluate, record, announce."""

from datetime import UTC, datetime, timedelta, timezone

from sqlmodel import Session

from services.disbursement.claim_source import ClaimSource
from services.disbursement.db import grants_repo
from services.disbursement.db.tables import DecisionRow, outbox
from services.disbursement.parameters import operator_values
from services.disbursement.domain.rules import Decision, evaluate, grant_record, history_refs
from shared.catalog import Catalog
from shared.claims import Claim, parse_claim
from shared.events import CLAIM_DECIDED, CLAIM_SUBMITTED, CloudEvent, new_event
from shared.identifiers import pseudonymise
from shared.logging import get_logger
from shared.outbox import enqueue

log = get_logger("disbursement.deciding")
SOURCE = "grants/disbursement"
CHINA = timezone(timedelta(hours=8))


def decide(session: Session, *, claim_id: str, claim: Claim, catalog: Catalog, pii_key: str,
           submitted_at: datetime) -> DecisionRow:
    """Decide and record one claim in the caller's transaction; the decision date is the filing date in China.

    Operator-set parameters in force at this moment are applied, and the computation shows each one used."""
    parameters = operator_values(session)
    refs = history_refs(claim, catalog, pii_key=pii_key)
    grants_repo.lock_subjects(session, refs)
    earlier = grants_repo.history(session, refs)
    as_of = submitted_at.astimezone(CHINA).date()
    decision = evaluate(claim, earlier, catalog, as_of, pii_key=pii_key, parameters=parameters)
    now = datetime.now(UTC)
    row = _decision_row(claim_id, claim, decision, pii_key, now)
    session.add(row)
    if decision.outcome == "eligible":
        grants_repo.add_grant(session, grant_record(decision, claim_id=claim_id), now)
    event = new_event(CLAIM_DECIDED, SOURCE, claim_id, {
        "claim_id": claim_id, "programme": decision.programme, "beneficiary_ref": decision.beneficiary_ref,
        "decision": row.document, "catalog_hash": decision.catalog_hash,
    })
    enqueue(session, outbox, event, key=claim_id)
    log.info("disbursement.claim_decided", claim_id=claim_id, outcome=decision.outcome,
             reasons=[r.code for r in decision.reasons])
    return row


def _decision_row(claim_id: str, claim: Claim, decision: Decision, pii_key: str, now: datetime) -> DecisionRow:
    document = {**decision.to_contract_json(), "decided_at": now.isoformat()}
    return DecisionRow(
        claim_id=claim_id, programme=decision.programme, jurisdiction=claim.body.jurisdiction,
        policy_id=decision.policy_id, outcome=decision.outcome, status=decision.outcome,
        amount_fen=decision.amount_fen, fund=decision.fund, clause=decision.clause,
        beneficiary_ref=decision.beneficiary_ref,
        payee_ref=pseudonymise(claim.body.payee_account.account_number, pii_key),
        qualifying_key=decision.qualifying_key, qualifying_date=decision.qualifying_date,
        catalog_hash=decision.catalog_hash, document=document, decided_at=now,
    )


class Decider:
    """The grants.claim.submitted handler: fetches bodies (claim check) and decides each claim once."""

    def __init__(self, catalog: Catalog, source: ClaimSource, pii_key: str):
        self.catalog, self.source, self.pii_key = catalog, source, pii_key
        self._bodies: dict[str, dict] = {}

    def prefetch(self, events: list[CloudEvent]) -> None:
        """One bulk lookup for a polled batch, before its transaction opens (no lock held over HTTP)."""
        try:
            self._bodies = self.source.bodies([e.data["claim_id"] for e in events if e.type == CLAIM_SUBMITTED])
        except LookupError:
            self._bodies = {}  # one claim is missing: each is then fetched alone, and only that one fails

    def __call__(self, session: Session, event: CloudEvent) -> None:
        claim_id = event.data["claim_id"]
        if grants_repo.decision_for(session, claim_id) is not None:
            return  # decided already (a replayed submission under a new event id)
        body = self._bodies.get(claim_id) or self.source.body(claim_id)
        claim = parse_claim(body)
        submitted_at = datetime.fromisoformat(event.data["submitted_at"])
        decide(session, claim_id=claim_id, claim=claim, catalog=self.catalog, pii_key=self.pii_key,
               submitted_at=submitted_at)
