"""evaluate(claim, history, catalog, as_of) -> Decision: the pure rules engine.

No I/O, no clock: everything a decision depends on is an argument, so any decision can be replayed
from (claim, history, catalog hash, as_of, overrides). Whatever cannot be decided is a rejection with
its reason and clause, never a default.
"""

from collections.abc import Mapping, Sequence
from datetime import date

from shared.catalog import Catalog
from shared.claims import Claim
from shared.money import format_fen

from services.disbursement.domain.rules.amounts import compute_amount
from services.disbursement.domain.rules.caps import apply_caps
from services.disbursement.domain.rules.conditions import apply_conditions
from services.disbursement.domain.rules.context import Evaluation, Undecidable, parse_overrides
from services.disbursement.domain.rules.decision import Decision, GrantRecord, Step
from services.disbursement.domain.rules.keys import Pseudonyms, beneficiary_ref, encode_key, key_fields, party_refs, subject_ref
from services.disbursement.domain.rules.selection import Refused, choose_policy


def _refusal(refused: Refused, claim: Claim, catalog: Catalog, beneficiary: str) -> Decision:
    programme, policy = refused.programme, refused.policy
    steps = [Step(step="policy", value=f"{policy.policy_id} ({policy.status})", clause=programme.clause)] if policy and programme else []
    return Decision(
        outcome="rejected", amount_fen=0, programme=claim.body.programme,
        fund=programme.fund.code if programme else None, policy_id=policy.policy_id if policy else None,
        clause=programme.clause if programme else None, reasons=[refused.reason], computation=steps,
        catalog_hash=catalog.content_hash, beneficiary_ref=beneficiary, subject_ref=None, qualifying_key=None,
        qualifying_date=refused.qualifying_date,
    )


def evaluate(
    claim: Claim,
    history: Sequence[GrantRecord],
    catalog: Catalog,
    as_of: date,
    *,
    pii_key: str,
    parameters: Mapping[str, str] | None = None,
) -> Decision:
    """Decide a claim against the catalog, given the earlier grants that can cap or exclude it.

    `pii_key` pseudonymises identity numbers in the decision's refs and qualifying key. `parameters`
    overrides catalog values by parameter id (operator-set or what-if); an unknown id raises UnknownParameter.
    """
    overrides = parse_overrides(catalog, parameters)
    refs = Pseudonyms(pii_key)
    beneficiary = beneficiary_ref(claim, refs)
    chosen = choose_policy(catalog, claim, as_of, overrides)
    if isinstance(chosen, Refused):
        return _refusal(chosen, claim, catalog, beneficiary)
    policy, programme = chosen.policy, chosen.programme
    ev = Evaluation(claim, catalog, as_of, policy, programme, chosen.qualifying_date, overrides)
    period = programme.period or policy.period
    state = "in force" if chosen.activation is None else "draft, activated by an operator"
    ev.shared_step("policy", f"{policy.policy_id} ({state}; period {period.describe()})", period.clause)
    if chosen.activation is not None:
        ev.shared_step(f"activation {programme.activation}", f"draft activated: {chosen.activation.shown}", programme.clause)
    after = programme.qualifying_after
    if after is not None:
        ev.step(f"qualifying date ({programme.qualifying_date} + {after.months} months)", chosen.qualifying_date.isoformat(),
                after.clause)
    else:
        ev.shared_step(f"qualifying date ({programme.qualifying_date})", chosen.qualifying_date.isoformat(), programme.clause)
    subject = subject_ref(claim, programme, refs)
    fields = key_fields(claim, programme, refs)
    apply_conditions(ev)
    computed = None
    try:
        computed = compute_amount(ev)
    except Undecidable as exc:
        ev.reject(exc.reason.code, exc.reason.message, exc.reason.clause)
    computed = apply_caps(ev, history, subject, fields, computed)
    amount, tier, units, months = computed[:4] if computed else (0, None, 1, [])
    eligible = not ev.reasons
    ev.shared_step("fund", programme.fund.code, programme.fund.clause)
    ev.shared_step("amount", format_fen(amount if eligible else 0), programme.amount.clause)
    return Decision(
        outcome="eligible" if eligible else "rejected", amount_fen=amount if eligible else 0,
        programme=programme.code, fund=programme.fund.code, policy_id=policy.policy_id, clause=programme.clause,
        reasons=ev.reasons, computation=ev.steps, catalog_hash=catalog.content_hash,
        beneficiary_ref=beneficiary, subject_ref=subject, qualifying_key=encode_key(fields),
        qualifying_date=chosen.qualifying_date, tier=tier, units=units, months=months if eligible else [],
        lookup_refs=sorted({subject, *party_refs(claim, programme, fields)}),
    )
