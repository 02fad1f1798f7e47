"""The groups the cross-event rules judge, so that an arriving event re-judges only the groups it joins.

Every cross-event rule reads the members of one group: a qualifying key (duplicates), a person (caps,
exclusive pairs), a payee account (one personal account for several people; any account for many
beneficiaries), a fund-year (budget), a maker (batches
kept under the threshold), a batch (control totals). Judging a group with the rule functions of the
engine over that group's members gives exactly what a run over every event gives for it, since no rule
looks across groups. A finding remembers its group (scope_key), so when a group is judged again a
finding it no longer yields is known to be one whose condition stopped holding.
"""

from services.audit.domain.events import BatchApproved, IssuedPayment
from shared.china_time import business_year

QUALIFYING, PERSON, PAYEE, FUND_YEAR, MAKER, BATCH = "qualifying", "person", "payee", "fund_year", "maker", "batch"
# every payment to an account, whatever its beneficiary kind (PAYEE holds the personal ones only)
PAYEE_ACCOUNT = "payee_account"
SCOPE_RULES: dict[str, tuple[str, ...]] = {
    QUALIFYING: ("duplicate_qualifying_key",),
    PERSON: ("exclusive_pair_both_paid", "per_person_cap_exceeded"),
    PAYEE: ("payee_shared_by_beneficiaries",),
    PAYEE_ACCOUNT: ("account_receives_for_many",),
    FUND_YEAR: ("fund_budget_exceeded", "fund_budget_not_set"),
    MAKER: ("batches_just_under_threshold",),
    BATCH: ("batch_control_totals_mismatch",),  # time-based: judged once the approval's grace period has passed
}

Scope = tuple[str, str]  # (scope, key)


def scope_key(scope: str, key: str) -> str:
    return f"{scope}:{key}"


def qualifying_key_of(p: IssuedPayment) -> str:
    return f"{p.policy_id}|{p.programme}|{p.qualifying_key}"  # policy ids and programme codes hold no "|"


def split_qualifying(key: str) -> tuple[str, str, str]:
    policy_id, programme, qualifying = key.split("|", 2)
    return policy_id, programme, qualifying


def fund_year_key(fund: str, year: int) -> str:
    return f"{fund}|{year}"


def split_fund_year(key: str) -> tuple[str, int]:
    fund, year = key.split("|")
    return fund, int(year)


def scopes_of_payment(p: IssuedPayment) -> list[Scope]:
    """The groups an issued payment (or its outcome: a failure takes it out of the granted ones) changes."""
    scopes = [(QUALIFYING, qualifying_key_of(p)), (PERSON, p.person_ref),
              (FUND_YEAR, fund_year_key(p.fund, business_year(p.issued_at))), (PAYEE_ACCOUNT, p.payee_ref)]
    if p.beneficiary_kind == "person":
        scopes.append((PAYEE, p.payee_ref))
    return scopes


def scopes_of_approval(b: BatchApproved) -> list[Scope]:
    return [(MAKER, b.maker)]

