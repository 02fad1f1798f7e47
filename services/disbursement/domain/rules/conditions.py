"""Eligibility conditions: each catalog condition kind, checked against the claim's facts.

A failed condition becomes a reason with the condition's code and clause; a condition that cannot be
decided (an unset parameter, a missing input) becomes that reason instead, never a guess.
"""

from collections.abc import Callable
from datetime import date

from shared.catalog.schema_conditions import (
    AgeBetweenCondition,
    AnyOfCondition,
    AtLeastCondition,
    InCondition,
    IsTrueCondition,
    MonthsBetweenCondition,
    NotEvidencedCondition,
    SameYearCondition,
)
from shared.identifiers import age_on, birth_date_from_resident_id

from services.disbursement.domain.rules.context import Evaluation, Undecidable
from services.disbursement.domain.rules.dates import add_months

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
    person = ev.require_fact(c.person, code, c.clause)
    on: date = ev.require_fact(c.on, code, c.clause)
    low, high = ev.operand(c.min, code, c.clause), ev.operand(c.max, code, c.clause)
    age = age_on(birth_date_from_resident_id(person.id_number), on)
    return low <= age <= high, f"{c.person} is {age} on {on.isoformat()} ({c.on}); covered ages {low} to {high}"


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
