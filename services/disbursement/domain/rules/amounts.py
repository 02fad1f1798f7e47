"""Amounts: the catalog's rate forms (fixed, tiered by value or by ratio, share, capped, multiple) and units.

Arithmetic is exact (integers, Decimal, Fraction); money is rounded half-up to the fen only where a
share or a proration makes sub-fen amounts.
"""

from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from shared.catalog.schema_rules import MonthSpan, Rate, Units
from shared.money import format_fen, round_fen

from services.disbursement.domain.rules.context import Evaluation, Undecidable
from services.disbursement.domain.rules.decision import Reason
from services.disbursement.domain.rules.dates import add_months, month_of, months_ending, months_from


def rate_value(ev: Evaluation, rate: Rate, clause: str) -> tuple[int | Decimal, str | None]:
    """(value, tier): money in fen, or a ratio inside a share. Raises Undecidable when it cannot be computed."""
    if rate.parameter is not None:
        return ev.require_parameter(rate.parameter), None
    if rate.by_value is not None:
        spec = rate.by_value
        value = ev.require_fact(spec.by, spec.unmatched, clause)
        for tier in spec.tiers:
            if str(tier.equals) == str(value):
                ev.shared_step("tier", tier.tier, clause)
                return ev.require_parameter(tier.parameter), tier.tier
        paid = ", ".join(str(t.equals) for t in spec.tiers)
        raise Undecidable(Reason(code=spec.unmatched, message=f"{spec.by} {value} is not paid; paid: {paid}", clause=clause))
    if rate.by_ratio is not None:
        return _by_ratio(ev, rate, clause)
    if rate.share is not None:
        share = rate.share
        base = ev.require_fact(share.of, "NOT_ELIGIBLE_CATEGORY", clause) if share.of else ev.require_parameter(share.of_parameter or "")
        ratio, tier = rate_value(ev, share.ratio, clause)
        amount = round_fen(Fraction(int(base)) * Fraction(ratio))  # exact for 2/3 as for 0.20
        ev.step(f"share of {share.of or share.of_parameter}", f"{format_fen(int(base))} x {ratio} = {format_fen(amount)}", clause)
        return amount, tier
    if rate.capped is not None:
        paid = int(ev.require_fact(rate.capped.fact, "NOT_ELIGIBLE_CATEGORY", clause))
        cap, tier = rate_value(ev, rate.capped.cap, clause)
        ev.step(f"{rate.capped.fact} up to the cap", f"min({format_fen(paid)}, {format_fen(int(cap))}) = {format_fen(min(paid, int(cap)))}", clause)
        return min(paid, int(cap)), tier
    multiple = rate.multiple
    factor, base = ev.require_parameter(multiple.factor), ev.require_parameter(multiple.of)
    return int(factor) * int(base), None


def _by_ratio(ev: Evaluation, rate: Rate, clause: str) -> tuple[int | Decimal, str | None]:
    spec = rate.by_ratio
    numerator = int(ev.require_fact(spec.numerator, "NOT_ELIGIBLE_CATEGORY", clause))
    denominator = int(ev.require_fact(spec.denominator, "NOT_ELIGIBLE_CATEGORY", clause))
    if denominator == 0:
        name = spec.if_denominator_zero
        ev.step(f"{spec.numerator} / {spec.denominator}", f"{numerator}/0: no ratio, tier {name}", clause)
    else:
        ratio = Fraction(numerator, denominator)
        ev.step(f"{spec.numerator} / {spec.denominator}", f"{numerator}/{denominator} = {percent(ratio)}", clause)
        matches = [t for t in spec.tiers if Fraction(t.lower) <= ratio and (t.below is None or ratio < Fraction(t.below))]
        if not matches:
            raise Undecidable(Reason(code="LEVEL_NOT_COVERED", message=f"ratio {percent(ratio)} falls in no tier", clause=clause))
        name = matches[0].tier
    tier = next(t for t in spec.tiers if t.tier == name)
    ev.shared_step("tier", name, clause)
    return ev.require_parameter(tier.parameter), name


def percent(ratio: Fraction) -> str:
    return f"{round_fen(ratio * 10000) / Decimal(100):.2f}%"


def _trainee_months(ev: Evaluation, clause: str) -> int:
    served = int(ev.require_fact("served_months", "NOT_ELIGIBLE_CATEGORY", clause))
    agreed = int(ev.require_fact("agreed_months", "NOT_ELIGIBLE_CATEGORY", clause))
    start = ev.require_fact("start_date", "NOT_ELIGIBLE_CATEGORY", clause)
    signed = ev.fact("contract_signed_on")
    end = add_months(start, agreed)
    if signed is not None and served < agreed and start <= signed < end:
        ev.step("remaining-period rule", f"labour contract signed {signed.isoformat()} before the traineeship's end {end.isoformat()}: "
                f"{served} served + {agreed - served} remaining = {agreed} months", clause)
        return agreed
    ev.step("trainee months", f"{served} served of {agreed} agreed", clause)
    return served


def units_of(ev: Evaluation, spec: Units | None) -> int:
    if spec is None:
        return 1
    if spec.rule == "trainee_months":
        units = _trainee_months(ev, spec.clause)
    else:
        units = int(ev.require_fact(spec.fact or "", "NOT_ELIGIBLE_CATEGORY", spec.clause))
        ev.step(f"units {spec.fact}", str(units), spec.clause)
    if spec.max is not None:
        limit = ev.operand(spec.max, "NOT_ELIGIBLE_CATEGORY", spec.clause)
        if units > limit:
            ev.step("units limited", f"{units} -> {limit}", spec.clause)
            units = limit
    return units


def _span(months: list[str]) -> str:
    return f"{months[0]} to {months[-1]}" if len(months) > 1 else months[0]


def _months_of(ev: Evaluation, span: MonthSpan, units: int) -> list[str]:
    """The calendar months the units are, checked against the claim's own dates and trimmed to the window."""
    anchor = ev.require_fact(span.start or span.end or "", "NOT_ELIGIBLE_CATEGORY", span.clause)
    months = months_from(anchor, units) if span.start else months_ending(anchor, units)
    if not months:
        return months
    for path in span.not_before:
        earliest = ev.require_fact(path, "NOT_ELIGIBLE_CATEGORY", span.clause)
        if months[0] < month_of(earliest):
            shown = len([m for m in months if m >= month_of(earliest)])
            raise Undecidable(Reason(code="MONTHS_EXCEED_PERIOD", clause=span.clause, message=(
                f"{units} month(s) ending {months[-1]} would start {months[0]}, before {path} {earliest.isoformat()}: "
                f"the claim's own dates show at most {shown} month(s)")))
    ev.step("months claimed", f"{len(months)}: {_span(months)}", span.clause)
    window = span.window
    if window is not None:
        allowed = months_from(ev.qualifying_date, window.months)
        kept = [m for m in months if allowed[0] <= m <= allowed[-1]]
        limits = _span(allowed)
        if not kept:
            raise Undecidable(Reason(code="OUTSIDE_POLICY_PERIOD", clause=window.clause,
                                     message=f"no month claimed ({_span(months)}) falls within the {window.months} months {limits}"))
        if len(kept) < len(months):
            ev.step("months within the subsidy period", f"{len(kept)} of {len(months)} within {limits}: {_span(kept)}", window.clause)
        months = kept
    return months


class Computed(NamedTuple):
    amount: int
    tier: str | None
    units: int
    months: list[str]  # the calendar months paid for; empty when the units are not months
    rate: int  # money per unit, or for the whole claim when the units only count
    claimed: int  # units the rate was stated for (a share of what was paid covers all months claimed)


def _price(ev: Evaluation, rate: int, claimed: int, paid: int, clause: str) -> int:
    spec = ev.programme.amount.units
    if spec is None:
        return rate
    if not spec.multiply:
        if paid == claimed or claimed == 0:
            return rate
        amount = round_fen(Fraction(rate * paid, claimed))
        ev.step("prorated by months", f"{format_fen(rate)} x {paid} / {claimed} = {format_fen(amount)}", clause)
        return amount
    amount = round_fen(Fraction(rate * paid, spec.per_rate))
    per = f" / {spec.per_rate}" if spec.per_rate != 1 else ""
    ev.step("rate x units", f"{format_fen(rate)} x {paid}{per} = {format_fen(amount)}", clause)
    return amount


def _nothing_to_pay(units: int, amount: int, clause: str) -> None:
    if units == 0 or amount == 0:
        message = "nothing to pay: no units (months) qualify" if units == 0 else "the amount computes to 0.00"
        raise Undecidable(Reason(code="NOT_ELIGIBLE_CATEGORY", message=message, clause=clause))


def compute_amount(ev: Evaluation) -> Computed:
    """The amount, tier, units and months; raises Undecidable with the reason when nothing can be computed."""
    amount_spec = ev.programme.amount
    rate, tier = rate_value(ev, amount_spec.rate, amount_spec.clause)
    spec = amount_spec.units
    claimed = units_of(ev, spec)
    months = _months_of(ev, spec.months, claimed) if spec is not None and spec.months is not None else []
    units = len(months) if spec is not None and spec.months is not None else claimed
    amount = _price(ev, int(rate), claimed, units, amount_spec.clause)
    _nothing_to_pay(units, amount, amount_spec.clause)
    return Computed(amount, tier, units, months, int(rate), claimed)


def for_months(ev: Evaluation, computed: Computed, months: list[str]) -> Computed:
    """The same claim paid only for these of its months (the others are granted already)."""
    amount = _price(ev, computed.rate, computed.claimed, len(months), ev.programme.amount.clause)
    return computed._replace(amount=amount, units=len(months), months=months)
