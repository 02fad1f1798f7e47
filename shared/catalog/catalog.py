"""The loaded policy catalog and the questions services ask of it (rules engine, API, audit)."""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from shared.catalog.schema import CatalogIndex, PolicyDocument, Programme
from shared.catalog.schema_common import Clause, Parameter, Period, parse_parameter_value
from shared.catalog.schema_rules import Cap, ExclusiveGroup, Rate
from shared.money import format_fen, round_fen


@dataclass(frozen=True)
class DatedValue:
    """A parameter's value as used in a decision, with where it came from and when it is effective."""

    parameter: Parameter
    value: int | Decimal
    effective_from: date | None
    effective_to: date | None
    source: str  # "catalog" or "override"

    @functools.cached_property
    def shown(self) -> str:
        """The value as a computation step shows it (money with two places), then where it comes from."""
        unit = self.parameter.unit
        return f"{format_fen(int(self.value)) if unit == 'fen' else str(self.value)} ({self.describe_dates()})"

    def describe_dates(self) -> str:
        if self.source == "override":
            return "operator override for this evaluation"
        end = self.effective_to.isoformat() if self.effective_to else "open"
        return f"effective {self.effective_from.isoformat() if self.effective_from else '?'} to {end}"


class PaymentStandard(NamedTuple):
    fen: int
    exact: bool  # False: a ceiling the payment may not exceed


class Catalog:
    """Read-only view of every policy file; `content_hash` identifies exactly this catalog content."""

    def __init__(self, index: CatalogIndex, policies: Mapping[str, PolicyDocument], files: Mapping[str, str], content_hash: str):
        self.index = index
        self.policies = dict(policies)
        self.files = dict(files)  # policy id -> path of its file, for messages
        self.content_hash = content_hash
        self._clauses: dict[str, Clause] = {c.id: c for p in self.policies.values() for c in p.clauses}
        self._parameters: dict[str, Parameter] = {x.id: x for p in self.policies.values() for x in p.parameters}
        self._value_cache: dict[tuple[str, date], DatedValue | None] = {}
        self._offering_cache: dict[tuple[str, str], tuple[tuple[PolicyDocument, Programme], ...]] = {}

    # -- lookups -------------------------------------------------------------------------------
    @property
    def jurisdictions(self) -> dict[str, tuple[str, ...]]:
        return {name: tuple(j.policies) for name, j in self.index.jurisdictions.items()}

    def policy(self, policy_id: str) -> PolicyDocument:
        return self.policies[policy_id]

    def policies_for(self, jurisdiction: str) -> list[PolicyDocument]:
        """Policies applying in a jurisdiction, most specific first."""
        entry = self.index.jurisdictions.get(jurisdiction)  # type: ignore[call-overload]
        return [self.policies[p] for p in entry.policies] if entry else []

    def programme(self, policy_id: str, code: str) -> Programme:
        for programme in self.policies[policy_id].programmes:
            if programme.code == code:
                return programme
        raise KeyError(f"{policy_id} has no programme {code}")

    def programmes(self) -> list[tuple[PolicyDocument, Programme]]:
        return [(p, x) for p in self.policies.values() for x in p.programmes]

    def offering(self, jurisdiction: str, code: str) -> tuple[tuple[PolicyDocument, Programme], ...]:
        """(policy, programme) pairs that offer `code` in a jurisdiction, most specific policy first (memoised)."""
        key = (jurisdiction, code)
        if key not in self._offering_cache:
            self._offering_cache[key] = tuple(
                (p, x) for p in self.policies_for(jurisdiction) for x in p.programmes if x.code == code
            )
        return self._offering_cache[key]

    def clause(self, clause_id: str) -> Clause:
        return self._clauses[clause_id]

    def parameter(self, parameter_id: str) -> Parameter:
        return self._parameters[parameter_id]

    def parameter_value(self, parameter_id: str, on: date) -> DatedValue | None:
        """The catalog value in effect on a date, or None when the parameter is unset then (memoised)."""
        key = (parameter_id, on)
        if key not in self._value_cache:
            self._value_cache[key] = self._parameter_value(parameter_id, on)
        return self._value_cache[key]

    def _parameter_value(self, parameter_id: str, on: date) -> DatedValue | None:
        parameter = self._parameters[parameter_id]
        dated = parameter.value_on(on)
        if dated is None:
            return None
        value = parse_parameter_value(parameter.unit, dated.value)
        return DatedValue(parameter, value, dated.effective_from, dated.effective_to, "catalog")

    # -- questions the audit service asks -------------------------------------------------------
    def fund_for(self, policy_id: str, programme: str) -> str:
        return self.programme(policy_id, programme).fund.code

    def policy_period(self, policy_id: str) -> Period:
        return self.policies[policy_id].period

    def programme_period(self, policy_id: str, programme: str) -> Period:
        return self.programme(policy_id, programme).period or self.policies[policy_id].period

    def caps(self, policy_id: str, programme: str) -> list[Cap]:
        return list(self.programme(policy_id, programme).caps)

    def exclusive_groups(self, policy_id: str | None = None) -> list[ExclusiveGroup]:
        docs = [self.policies[policy_id]] if policy_id else list(self.policies.values())
        return [g for d in docs for g in d.exclusive_groups]

    def tiers(self, policy_id: str, programme: str) -> list[str]:
        return [name for name, _ in _tier_parameters(self.programme(policy_id, programme).amount.rate)]

    def standard_amount_fen(self, policy_id: str, programme: str, tier: str | None, on_date: date) -> int | None:
        """The standard money per unit for a tier on a date (the ceiling for capped amounts).

        None when the standard is unset on that date or is a share of what was paid (no fixed standard).
        Raises KeyError for an unknown policy, programme or tier.
        """
        return self._standard(self.programme(policy_id, programme).amount.rate, tier, on_date)

    def payment_standard(self, policy_id: str, programme: str, tier: str | None, units: int,
                         on_date: date) -> "PaymentStandard | None":
        """What a payment of `units` may be: the exact amount, or a ceiling for capped rates ("up to 300").

        The same arithmetic as the rules engine (rate x units / per_rate, half-up to the fen), so the audit
        re-derives the standard without trusting disbursement. None where no fixed standard exists."""
        amount = self.programme(policy_id, programme).amount
        unit = self._standard(amount.rate, tier, on_date)
        if unit is None:
            return None
        spec = amount.units
        fen = unit if spec is None or not spec.multiply else round_fen(Fraction(unit * units, spec.per_rate))
        return PaymentStandard(fen=fen, exact=amount.rate.capped is None)

    def _standard(self, rate: Rate, tier: str | None, on: date) -> int | None:
        if rate.capped is not None:
            return self._standard(rate.capped.cap, tier, on)
        if rate.share is not None:
            return None
        if rate.multiple is not None:
            factor = self.parameter_value(rate.multiple.factor, on)
            base = self.parameter_value(rate.multiple.of, on)
            return None if factor is None or base is None else int(factor.value) * int(base.value)
        if rate.parameter is not None:
            if tier is not None:
                raise KeyError(f"this programme has no tiers, got {tier!r}")
            found = self.parameter_value(rate.parameter, on)
            return None if found is None else int(found.value)
        by_tier = dict(_tier_parameters(rate))
        if tier not in by_tier:
            raise KeyError(f"unknown tier {tier!r}; tiers: {', '.join(by_tier)}")
        found = self.parameter_value(by_tier[tier], on)
        return None if found is None else int(found.value)


def _tier_parameters(rate: Rate) -> list[tuple[str, str]]:
    if rate.by_value is not None:
        return [(t.tier, t.parameter) for t in rate.by_value.tiers]
    if rate.by_ratio is not None:
        return [(t.tier, t.parameter) for t in rate.by_ratio.tiers]
    if rate.capped is not None:
        return _tier_parameters(rate.capped.cap)
    return []
