"""Which policy decides a claim: the first policy applying in the jurisdiction that offers the programme,
is in force, and whose period covers the claim's qualifying date (index.yaml lists the most specific first).

A draft (policy or programme) counts as in force only while an operator has set its activation switch to
"active": the switch arrives with the operator's parameters, so the choice stays a function of the arguments.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from shared.catalog import Catalog, DatedValue
from shared.catalog.schema import PolicyDocument, Programme
from shared.claims import Claim

from services.disbursement.domain.rules.dates import add_months
from services.disbursement.domain.rules.decision import Reason
from services.disbursement.domain.rules.keys import read_fact


@dataclass(frozen=True)
class Chosen:
    policy: PolicyDocument
    programme: Programme
    qualifying_date: date
    activation: DatedValue | None = None  # the operator's switch that made a draft pay


@dataclass(frozen=True)
class Refused:
    reason: Reason
    policy: PolicyDocument | None = None
    programme: Programme | None = None
    qualifying_date: date | None = None


def qualifying_date(claim: Claim, programme: Programme) -> date | None:
    """The claim's qualifying date for a programme: its date fact, or so many months after it."""
    day = read_fact(claim.facts, programme.qualifying_date)
    if not isinstance(day, date):
        return None
    return add_months(day, programme.qualifying_after.months) if programme.qualifying_after else day


def _activation(catalog: Catalog, policy: PolicyDocument, programme: Programme, claim: Claim,
                overrides: Mapping[str, DatedValue]) -> tuple[bool, DatedValue | None]:
    """(in force, the switch that activated a draft)."""
    if policy.status in ("suspended", "revoked"):
        return False, None
    if policy.status == "in_force" and programme.status == "in_force":
        return True, None
    if programme.activation is None:
        return False, None
    on = qualifying_date(claim, programme)
    switch = overrides.get(programme.activation) or (catalog.parameter_value(programme.activation, on) if on else None)
    return (switch is not None and switch.value == "active"), switch


def choose_policy(catalog: Catalog, claim: Claim, as_of: date,
                  overrides: Mapping[str, DatedValue] | None = None) -> Chosen | Refused:
    jurisdiction, code = claim.body.jurisdiction, claim.body.programme
    offering = catalog.offering(jurisdiction, code)
    if not offering:
        applying = catalog.policies_for(jurisdiction)
        names = ", ".join(p.policy_id for p in applying) or "none"
        clause = applying[0].period.clause if applying else "index.yaml"
        message = f"no policy applying in {jurisdiction} ({names}) offers {code}"
        return Refused(Reason(code="PROGRAMME_NOT_OFFERED", message=message, clause=clause))
    switches = {id(x): _activation(catalog, p, x, claim, overrides or {}) for p, x in offering}
    in_force = [(p, x) for p, x in offering if switches[id(x)][0]]
    if not in_force:
        policy, programme = offering[0]
        status = policy.status if policy.status != "in_force" else programme.status
        how = f"; an operator activates it by setting {programme.activation} to active" if programme.activation else ""
        message = f"{policy.policy_id} {programme.code} is {status.replace('_', ' ')}: it pays nothing until it is in force{how}"
        return Refused(Reason(code="POLICY_NOT_IN_FORCE", message=message, clause=programme.clause), policy, programme)
    first_outside: Refused | None = None
    for policy, programme in in_force:
        qualifying = qualifying_date(claim, programme)
        period = programme.period or policy.period
        if qualifying is None:
            message = f"the claim does not state {programme.qualifying_date}"
            return Refused(Reason(code="NOT_ELIGIBLE_CATEGORY", message=message, clause=programme.clause), policy, programme)
        if period.covers(qualifying) and qualifying <= as_of:
            return Chosen(policy, programme, qualifying, switches[id(programme)][1])
        if first_outside is None:
            what = _qualifying_text(programme)
            if qualifying > as_of:
                message = f"{what} {qualifying.isoformat()} is after the evaluation date {as_of.isoformat()}"
            else:
                message = f"{what} {qualifying.isoformat()} is outside {policy.policy_id}'s period for {code}: {period.describe()}"
            first_outside = Refused(Reason(code="OUTSIDE_POLICY_PERIOD", message=message, clause=period.clause),
                                    policy, programme, qualifying)
    return first_outside  # type: ignore[return-value]


def _qualifying_text(programme: Programme) -> str:
    after = programme.qualifying_after
    return f"{programme.qualifying_date} + {after.months} months" if after else programme.qualifying_date
