"""Caps and exclusivity over the explicit history of earlier grants.

A history record counts against a cap when its programme is listed and it shares the cap's `same`
fields with the claim: `subject` (the person or organisation the grant is about) or qualifying-key fields.
"""

from collections.abc import Sequence

from shared.catalog.schema_rules import Cap

from services.disbursement.domain.rules.amounts import Computed, for_months
from services.disbursement.domain.rules.context import Evaluation, Undecidable
from services.disbursement.domain.rules.decision import GrantRecord
from services.disbursement.domain.rules.keys import key_map


def _same(record: GrantRecord, same: Sequence[str], subject_ref: str, fields: dict[str, str]) -> bool:
    for name in same:
        if name == "subject":
            if record.subject_ref != subject_ref:
                return False
        elif not fields.get(name) or key_map(record.qualifying_key).get(name) != fields[name]:
            return False
    return True


def _describe(records: Sequence[GrantRecord]) -> str:
    return ", ".join(f"{r.programme} under {r.policy_id} (claim {r.claim_id}, {r.qualifying_date.isoformat()})" for r in records)


def _apply_cap(ev: Evaluation, cap: Cap, matching: list[GrantRecord], units: int) -> None:
    over = ", ".join(cap.same)
    if cap.kind == "once":
        ev.shared_step(f"cap {cap.id}", f"{len(matching)} earlier grant(s) with the same {over}", cap.clause)
        if matching:
            ev.reject(cap.reason, f"already granted for the same {over}: {_describe(matching)}", cap.clause)
        return
    limit = int(ev.require_parameter(cap.limit or ""))
    if cap.kind == "count_per_year":
        year = ev.qualifying_date.year
        in_year = [r for r in matching if r.qualifying_date.year == year]
        ev.shared_step(f"cap {cap.id}", f"{len(in_year)} earlier grant(s) in {year}; at most {limit}", cap.clause)
        if len(in_year) >= limit:
            ev.reject(cap.reason, f"{len(in_year)} grants in {year} already reach the limit of {limit}: {_describe(in_year)}", cap.clause)
        return
    used = sum(r.units for r in matching)
    ev.shared_step(f"cap {cap.id}", f"{used} unit(s) already granted + {units} claimed; at most {limit}", cap.clause)
    if used + units > limit:
        ev.reject(cap.reason, f"{used} unit(s) already granted + {units} claimed exceed the limit of {limit}", cap.clause)


def _months_left(ev: Evaluation, cap: Cap, matching: list[GrantRecord], computed: Computed | None) -> Computed | None:
    """The claim paid only for months no matching grant covers; refused when none is left."""
    if computed is None or not computed.months:
        return computed
    over = ", ".join(cap.same)
    taken = {m for r in matching for m in r.months}
    overlapping = [r for r in matching if taken.intersection(r.months).intersection(computed.months)]
    left = [m for m in computed.months if m not in taken]
    ev.step(f"cap {cap.id}", f"{len(computed.months) - len(left)} of {len(computed.months)} month(s) already granted "
            f"for the same {over}; {len(left)} not yet: {', '.join(left) or 'none'}", cap.clause)
    if not left:
        ev.reject(cap.reason, f"every month claimed is granted already for the same {over}: {_describe(overlapping)}", cap.clause)
        return computed
    return computed if len(left) == len(computed.months) else for_months(ev, computed, left)


def apply_caps(ev: Evaluation, history: Sequence[GrantRecord], subject_ref: str, fields: dict[str, str],
               computed: Computed | None) -> Computed | None:
    """Record a reason for every cap reached and every exclusive programme already held; return the claim as
    it can be paid (only its months not yet granted, under a months cap)."""
    code = ev.programme.code
    caps = sorted(ev.programme.caps, key=lambda c: c.kind != "months")  # months first: the others count what is left
    for cap in caps:
        matching = [r for r in history if r.programme in cap.programmes and _same(r, cap.same, subject_ref, fields)]
        if cap.kind == "months":
            computed = _months_left(ev, cap, matching, computed)
            continue
        try:
            _apply_cap(ev, cap, matching, computed.units if computed else 1)
        except Undecidable as exc:
            ev.reject(exc.reason.code, exc.reason.message, exc.reason.clause)
    for group in ev.policy.exclusive_groups:
        if code not in group.programmes:
            continue
        held = [r for r in history if r.programme in group.programmes and r.programme != code
                and _same(r, group.same, subject_ref, fields)]
        ev.shared_step(f"exclusive {group.id}", f"{len(held)} grant(s) of {', '.join(p for p in group.programmes if p != code)}", group.clause)
        if held:
            ev.reject("EXCLUSIVE_PROGRAMME", f"{code} cannot be combined with {_describe(held)}", group.clause)
    return computed
