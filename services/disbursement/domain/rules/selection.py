"""Which policy decides a claim: the first policy applying in the jurisdiction that offers the programme,
is in force, and whose period covers the claim's qualifying date (index.yaml lists the most specific first).
"""

from dataclasses import dataclass
from datetime import date

from shared.catalog import Catalog
from shared.catalog.schema import PolicyDocument, Programme
from shared.claims import Claim

from services.disbursement.domain.rules.decision import Reason
from services.disbursement.domain.rules.keys import read_fact


@dataclass(frozen=True)
class Chosen:
    policy: PolicyDocument
    programme: Programme
    qualifying_date: date


@dataclass(frozen=True)
class Refused:
    reason: Reason
    policy: PolicyDocument | None = None
    programme: Programme | None = None
    qualifying_date: date | None = None


def choose_policy(catalog: Catalog, claim: Claim, as_of: date) -> Chosen | Refused:
    jurisdiction, code = claim.body.jurisdiction, claim.body.programme
    offering = catalog.offering(jurisdiction, code)
    if not offering:
        applying = catalog.policies_for(jurisdiction)
        names = ", ".join(p.policy_id for p in applying) or "none"
        clause = applying[0].period.clause if applying else "index.yaml"
        message = f"no policy applying in {jurisdiction} ({names}) offers {code}"
        return Refused(Reason(code="PROGRAMME_NOT_OFFERED", message=message, clause=clause))
    in_force = [(p, x) for p, x in offering if p.status == "in_force"]
    if not in_force:
        policy, programme = offering[0]
        message = f"{policy.policy_id} is {policy.status.replace('_', ' ')}: it pays nothing until it is in force"
        return Refused(Reason(code="POLICY_NOT_IN_FORCE", message=message, clause=programme.clause), policy, programme)
    first_outside: Refused | None = None
    for policy, programme in in_force:
        qualifying = read_fact(claim.facts, programme.qualifying_date)
        period = programme.period or policy.period
        if not isinstance(qualifying, date):
            message = f"the claim does not state {programme.qualifying_date}"
            return Refused(Reason(code="NOT_ELIGIBLE_CATEGORY", message=message, clause=programme.clause), policy, programme)
        if period.covers(qualifying) and qualifying <= as_of:
            return Chosen(policy, programme, qualifying)
        if first_outside is None:
            if qualifying > as_of:
                message = f"{programme.qualifying_date} {qualifying.isoformat()} is after the evaluation date {as_of.isoformat()}"
            else:
                message = (f"{programme.qualifying_date} {qualifying.isoformat()} is outside {policy.policy_id}'s period "
                           f"for {code}: {period.describe()}")
            first_outside = Refused(Reason(code="OUTSIDE_POLICY_PERIOD", message=message, clause=period.clause),
                                    policy, programme, qualifying)
    return first_outside  # type: ignore[return-value]
