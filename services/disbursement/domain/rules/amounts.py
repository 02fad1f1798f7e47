"""Amounts: the catalog's rate forms (fixed, tiered by value or by ratio, share, capped, multiple) and units.

Arithmetic is exact (integers, Decimal, Fraction); money is rounded half-up to the fen only where a
share or a proration makes sub-fen amounts.
"""

from decimal import Decimal
from fractions import Fraction

from shared.catalog.schema_rules import Rate, Units
from shared.money import format_fen, round_fen

from services.disbursement.domain.rules.context import Evaluation, Undecidable
from services.disbursement.domain.rules.decision import Reason
from services.disbursement.domain.rules.dates import add_months


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
        amount = round_fen(Decimal(base) * Decimal(ratio))
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
        ev.step(f"{spec.numerator} / {spec.denominator}", f"{numerator}/{denominator} = {_percent(ratio)}", clause)
        matches = [t for t in spec.tiers if Fraction(t.lower) <= ratio and (t.below is None or ratio < Fraction(t.below))]
        if not matches:
            raise Undecidable(Reason(code="LEVEL_NOT_COVERED", message=f"ratio {_percent(ratio)} falls in no tier", clause=clause))
        name = matches[0].tier
    tier = next(t for t in spec.tiers if t.tier == name)
    ev.shared_step("tier", name, clause)
    return ev.require_parameter(tier.parameter), name


def _percent(ratio: Fraction) -> str:
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


def compute_amount(ev: Evaluation) -> tuple[int, str | None, int]:
    """(amount in fen, tier, units); raises Undecidable with the reason when nothing can be computed."""
    amount_spec = ev.programme.amount
    rate, tier = rate_value(ev, amount_spec.rate, amount_spec.clause)
    units = units_of(ev, amount_spec.units)
    spec = amount_spec.units
    if spec is None or not spec.multiply:
        amount = int(rate)
    else:
        amount = round_fen(Fraction(int(rate) * units, spec.per_rate))
        per = f" / {spec.per_rate}" if spec.per_rate != 1 else ""
        ev.step("rate x units", f"{format_fen(int(rate))} x {units}{per} = {format_fen(amount)}", amount_spec.clause)
    if units == 0 or amount == 0:
        message = "nothing to pay: no units (months) qualify" if units == 0 else "the amount computes to 0.00"
        raise Undecidable(Reason(code="NOT_ELIGIBLE_CATEGORY", message=message, clause=amount_spec.clause))
    return amount, tier, units
