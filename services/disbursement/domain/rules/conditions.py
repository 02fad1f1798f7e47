"""Eligibility conditions: each catalog condition kind, checked against the claim's facts.

A failed condition becomes a reason with the condition's code and clause; a condition that cannot be
decided (an unset parameter, a missing input) becomes that reason instead, never a guess.
"""

from collections.abc import Callable
from datetime import date
from fractions import Fraction

from shared.catalog.schema_conditions import (
    AgeBetweenCondition,
    AnyOfCondition,
    AtLeastCondition,
    InCondition,
    IsTrueCondition,
    MonthsBetweenCondition,
    MonthsWithinCondition,
    NotEvidencedCondition,
    RatioAtMostCondition,
    SameYearCondition,
)
from shared.identifiers import age_on, birth_date_from_resident_id

from services.disbursement.domain.rules.amounts import percent
from services.disbursement.domain.rules.context import Evaluation, Undecidable
from services.disbursement.domain.rules.dates import add_months, whole_months_between

Result = tuple[bool, str]  # (met, what was compared)


def _in(ev: Evaluation, c: InCondition, code: str) -> Result:
    value = ev.require_fact(c.fact, code, c.clause)
    listed = ", ".join(str(v) for v in c.values)
    return value in c.values, f"{c.fact} is {value}; covered: {listed}"


def _is_true(ev: Evaluation, c: IsTrueCondition, code: str) -> Result:
    value = ev.require_fact(c.fact, code, c.clause)
    return value is True, f"{c.fact} is {str(value).lower()}"


def _at_least(ev: Evaluation, c: AtLeastCondition, code: str) -> Result:
    value = ev.require_fact(c.fact, code, c.clause)
    minimum = ev.operand(c.min, code, c.clause)
    return value >= minimum, f"{c.fact} is {value}; at least {minimum} required"


def _age_between(ev: Evaluation, c: AgeBetweenCondition, code: str) -> Result:
    id_number = ev.claim.body.claimant.id_number if c.person == "claimant" else ev.require_fact(c.person, code, c.clause).id_number
    on: date = ev.require_fact(c.on, code, c.clause)
    low = ev.operand(c.min, code, c.clause)
    high = ev.operand(c.max, code, c.clause) if c.max is not None else None
    age = age_on(birth_date_from_resident_id(id_number or ""), on)
    covered = f"{low} to {high}" if high is not None else f"{low} and over"
    met = low <= age and (high is None or age <= high)
    return met, f"{c.person} is {age} on {on.isoformat()} ({c.on}); covered ages {covered}"


def _months_within(ev: Evaluation, c: MonthsWithinCondition, code: str) -> Result:
    stated = int(ev.require_fact(c.months, code, c.clause))
    start: date = ev.require_fact(c.start, code, c.clause)
    end: date = ev.require_fact(c.end, code, c.clause)
    shown = whole_months_between(start, end)
    return stated <= shown, (f"{c.months} {stated}; the claim's own dates show {shown} completed month(s) from {c.start} "
                             f"{start.isoformat()} to {c.end} {end.isoformat()}")


def _ratio_at_most(ev: Evaluation, c: RatioAtMostCondition, code: str) -> Result:
    numerator = int(ev.require_fact(c.numerator, code, c.clause))
    denominator = int(ev.require_fact(c.denominator, code, c.clause))
    if denominator == 0:
        return numerator == 0, f"{c.numerator} {numerator} of {c.denominator} 0: no rate"
    ratio = Fraction(numerator, denominator)
    limit, which = Fraction(ev.require_parameter(c.max)), ""
    if c.small_size is not None and denominator <= ev.operand(c.small_size, code, c.clause):
        limit, which = Fraction(ev.require_parameter(c.small_max or "")), f" ({c.denominator} at most {ev.operand(c.small_size, code, c.clause)})"
    return ratio <= limit, (f"{c.numerator} / {c.denominator} = {numerator}/{denominator} = {percent(ratio)} (computed); "
                            f"at most {percent(limit)}{which}")


def _months_between(ev: Evaluation, c: MonthsBetweenCondition, code: str) -> Result:
    start: date = ev.require_fact(c.start, code, c.clause)
    end: date = ev.require_fact(c.end, code, c.clause)
    bounds, met = [], end >= start
    if c.min is not None:
        earliest = add_months(start, ev.operand(c.min, code, c.clause))
        met = met and end >= earliest
        bounds.append(f"on or after {earliest.isoformat()}")
    if c.max is not None:
        latest = add_months(start, ev.operand(c.max, code, c.clause))
        met = met and end <= latest
        bounds.append(f"on or before {latest.isoformat()}")
    if c.min is None:
        bounds.insert(0, f"on or after {start.isoformat()}")
    return met, f"{c.end} {end.isoformat()} must fall {' and '.join(bounds)} ({c.start} {start.isoformat()})"


def _same_year(ev: Evaluation, c: SameYearCondition, code: str) -> Result:
    day: date = ev.require_fact(c.fact, code, c.clause)
    year = ev.operand(c.year, code, c.clause)
    return day.year == year, f"{c.fact} {day.isoformat()} is in {day.year}; required year {year}"


def _not_evidenced(ev: Evaluation, c: NotEvidencedCondition, code: str) -> Result:
    return False, f"not evidenced: {c.evidence}"


def _any_of(ev: Evaluation, c: AnyOfCondition, code: str) -> Result:
    details: list[str] = []
    undecided: Undecidable | None = None
    for inner in c.conditions:
        try:
            met, detail = check(ev, inner, code)
        except Undecidable as exc:
            undecided = undecided or exc
            continue
        if met:
            return True, detail
        details.append(detail)
    if undecided is not None:
        raise undecided
    return False, "none of: " + "; ".join(details)


_KINDS: dict[str, Callable[..., Result]] = {
    "in": _in,
    "is_true": _is_true,
    "at_least": _at_least,
    "age_between": _age_between,
    "months_between": _months_between,
    "months_within": _months_within,
    "ratio_at_most": _ratio_at_most,
    "same_year": _same_year,
    "not_evidenced": _not_evidenced,
    "any_of": _any_of,
}
KINDS = frozenset(_KINDS)


def check(ev: Evaluation, condition, code: str) -> Result:
    """(met, detail) of one condition; raises Undecidable when it cannot be decided."""
    return _KINDS[condition.kind](ev, condition, code)


def apply_conditions(ev: Evaluation) -> None:
    """Check every condition of the programme, recording a step for each and a reason for each failure."""
    for condition in ev.programme.conditions:
        code = condition.reason or ""  # always set at top level: Programme refuses a condition without one
        guard = condition.when
        if guard is not None and ev.fact(guard.fact) not in guard.in_:
            ev.shared_step(f"condition {condition.kind}", f"not applicable: only when {guard.fact} is {', '.join(map(str, guard.in_))}",
                           condition.clause)
            continue
        try:
            met, detail = check(ev, condition, code)
        except Undecidable as exc:
            ev.step(f"condition {condition.kind}", f"undecided: {exc.reason.message}", condition.clause)
            ev.reject(exc.reason.code, exc.reason.message, exc.reason.clause)
            continue
        ev.step(f"condition {condition.kind}", f"{'met' if met else 'not met'}: {detail}", condition.clause)
        if not met:
            note = f" ({condition.note})" if condition.note else ""
            ev.reject(code, detail + note, condition.clause)
