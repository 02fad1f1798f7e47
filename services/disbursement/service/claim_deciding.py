"""Deciding a submitted claim: lock the people it touches, read their grants, evaluate, record, announce."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.db import grants_repo
from services.disbursement.db.tables import outbox
from services.disbursement.service.operator_parameters import operator_values
from shared.claims.names import same_name
from services.disbursement.domain.rules import Decision, GrantRecord, evaluate, grant_record, history_refs
from shared.catalog import Catalog
from shared.china_time import business_day
from shared.claims import Claim, parse_claim
from shared.event_payloads import ClaimSubmitted, Delivery
from shared.events import CLAIM_DECIDED, DISBURSEMENT_SOURCE, CloudEvent, new_event
from shared.consumer import bound_delivery
from shared.identifiers import pseudonymise
from shared.logging import get_logger
from shared.outbox import enqueue_many

log = get_logger("disbursement.deciding")


@dataclass(frozen=True)
class Submitted:
    claim_id: str
    claim: Claim
    submitted_at: datetime
    event: CloudEvent | None = None  # the grants.claim.submitted it came by (its log context)


@dataclass(frozen=True)
class Decided:
    claim_id: str
    outcome: str
    document: dict  # the decision as the applicant sees it (contract §3)


def decision_date(moment: datetime) -> date:
    """The date a claim is decided as of: the China calendar day of the moment it was filed (or, for a
    what-if, of now), whatever the hour in UTC."""
    return business_day(moment)


def decide(session: Session, *, claim_id: str, claim: Claim, catalog: Catalog, pii_key: str,
           submitted_at: datetime) -> Decided:
    """Decide and record one claim in the caller's transaction (see decide_many)."""
    return decide_many(session, [Submitted(claim_id, claim, submitted_at)], catalog=catalog, pii_key=pii_key)[0]


def decide_many(session: Session, submitted: list[Submitted], *, catalog: Catalog, pii_key: str,
                decided: set[str] | None = None) -> list[Decided]:
    """Decide and record claims in the caller's transaction, in order, each as of its decision_date.

    Everyone the claims touch is locked at once (sorted: no deadlocks), their grants read once, and each
    claim is evaluated against them plus the grants decided before it in this call, so a cap shared by two
    claims of one batch counts both. Operator-set parameters in force at this moment are applied, and the
    computation shows each one used. A claim decided already (a replayed submission; `decided` when the
    caller has looked) is skipped. Decisions, grants and events are written with one statement per table."""
    parameters = operator_values(session)
    refs = {s.claim_id: history_refs(s.claim, catalog, pii_key=pii_key) for s in submitted}
    everyone = sorted({r for rs in refs.values() for r in rs})
    grants_repo.lock_subjects(session, everyone)
    known = GrantHistory(grants_repo.grants_by_ref(session, everyone))  # read under the locks
    if decided is None:
        decided = grants_repo.decided_claim_ids(session, [s.claim_id for s in submitted])
    rows: list[dict] = []
    granted: list[tuple[GrantRecord, datetime]] = []
    events: list[tuple[CloudEvent, str]] = []
    for item in submitted:
        if item.claim_id in decided:
            continue
        decided.add(item.claim_id)
        with bound_delivery(item.event):
            as_of = decision_date(item.submitted_at)
            decision = evaluate(item.claim, known.touching(refs[item.claim_id]), catalog, as_of, pii_key=pii_key,
                                parameters=parameters)
            now = datetime.now(UTC)
            row = decision_row(item.claim_id, item.claim, decision, pii_key, now)
            if decision.outcome == "eligible":
                record = grant_record(decision, claim_id=item.claim_id)
                known.add(record)
                granted.append((record, now))
            events.append((new_event(CLAIM_DECIDED, DISBURSEMENT_SOURCE, item.claim_id, {
                "claim_id": item.claim_id, "programme": decision.programme,
                "beneficiary_ref": decision.beneficiary_ref, "decision": row["document"],
                "catalog_hash": decision.catalog_hash}), item.claim_id))
            log.info("disbursement.claim_decided", claim_id=item.claim_id, outcome=decision.outcome,
                     reasons=[r.code for r in decision.reasons])
        rows.append(row)
    grants_repo.add_decisions(session, rows)
    grants_repo.add_grants(session, granted)
    enqueue_many(session, outbox, events)
    return [Decided(r["claim_id"], r["outcome"], r["document"]) for r in rows]


def decision_row(claim_id: str, claim: Claim, decision: Decision, pii_key: str, now: datetime) -> dict:
    """The decisions row of a claim."""
    return dict(
        claim_id=claim_id, programme=decision.programme, jurisdiction=claim.body.jurisdiction,
        policy_id=decision.policy_id, outcome=decision.outcome, status=decision.outcome,
        amount_fen=decision.amount_fen, fund=decision.fund, clause=decision.clause,
        beneficiary_ref=decision.beneficiary_ref,
        payee_ref=pseudonymise(claim.body.payee_account.account_number, pii_key),
        qualifying_key=decision.qualifying_key, qualifying_date=decision.qualifying_date,
        catalog_hash=decision.catalog_hash,
        payee_name_matches=same_name(claim.body.claimant.name, claim.body.payee_account.account_name), document={**decision.to_contract_json(), "decided_at": now.isoformat()},
        decided_at=now,
    )


class Decider:
    """Decides the claims of grants.claim.submitted events once each: bodies fetched in bulk (claim check)
    before the batch's transaction, then decided together (decide_many)."""

    def __init__(self, catalog: Catalog, source: ClaimSource, pii_key: str):
        self.catalog, self.source, self.pii_key = catalog, source, pii_key
        self._bodies: dict[str, dict] = {}

    def prefetch(self, claim_ids: list[str]) -> None:
        """One bulk lookup for a polled batch, before its transaction opens (no lock held over HTTP)."""
        try:
            self._bodies = self.source.bodies(claim_ids)
        except LookupError:
            self._bodies = {}  # one claim is missing: each is then fetched alone, and only that one fails

    def decide_submissions(self, session: Session, submissions: list[Delivery[ClaimSubmitted]]) -> None:
        decided = grants_repo.decided_claim_ids(session, [s.data.claim_id for s in submissions])
        submitted = []
        for submission in submissions:
            claim_id = submission.data.claim_id
            if claim_id in decided:
                continue  # decided already (a replayed submission under a new event id): no body needed
            body = self._bodies.get(claim_id) or self.source.body(claim_id)
            submitted.append(Submitted(claim_id, parse_claim(body), submission.data.submitted_at, submission.event))
        decide_many(session, submitted, catalog=self.catalog, pii_key=self.pii_key, decided=decided)


class GrantHistory:
    """The grants of everyone a batch of claims touches, in the order they were granted, plus those this
    batch adds: what each claim's caps and exclusivity are judged against."""

    def __init__(self, granted: list[tuple[GrantRecord, set[str]]]):
        self._granted = granted

    def touching(self, refs: list[str]) -> list[GrantRecord]:
        wanted = set(refs)
        return [record for record, found_by in self._granted if found_by & wanted]

    def add(self, record: GrantRecord) -> None:
        self._granted.append((record, grants_repo.refs_of(record)))
