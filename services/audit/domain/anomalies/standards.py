"""What the anomaly rules need from the policy catalog, and a plain in-memory implementation.

The catalog (shared/catalog) is adapted to this Protocol by the service; the rules never read YAML.
InMemoryStandards also serves tests and the demo.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, Protocol

from shared.catalog import PaymentStandard


class ExclusivePair(NamedTuple):
    """Two programmes one person may not both receive (e.g. hiring / job_expansion, qingyang-2023 §8)."""

    programme_a: str
    programme_b: str
    clause: str


class CountCap(NamedTuple):
    """At most max_count payments of a programme per person per calendar year (qingyang-2023 §18: 3)."""

    policy_id: str
    programme: str
    max_count: int
    clause: str


class Standards(Protocol):
    def knows_fund(self, fund: str) -> bool:
        """Whether the catalog holds the fund (a budget is held only for a fund that exists)."""
        ...

    def fund_for(self, policy_id: str, programme: str) -> str | None:
        """The fund that pays the programme under the policy; None when the policy has no such programme."""
        ...

    def payment_standard(self, policy_id: str, programme: str, tier: str | None, units: int,
                         on_date: date) -> PaymentStandard | None:
        """The amount (or ceiling) a payment of `units` may be on that date; None when no fixed standard exists."""
        ...

    def policy_period(self, policy_id: str) -> tuple[date, date | None] | None:
        """First and last day the policy applies (None end: open); None for an unknown policy."""
        ...

    def exclusive_pairs(self) -> Sequence[ExclusivePair]: ...

    def count_caps(self) -> Sequence[CountCap]: ...


@dataclass(frozen=True)
class DatedAmount:
    fen: int
    valid_from: date = date.min
    valid_to: date = date.max


@dataclass
class InMemoryStandards:
    funds: Mapping[tuple[str, str], str] = field(default_factory=dict)  # (policy, programme) -> fund
    amounts: Mapping[tuple[str, str, str | None], Sequence[DatedAmount]] = field(default_factory=dict)
    periods: Mapping[str, tuple[date, date | None]] = field(default_factory=dict)
    pairs: Sequence[ExclusivePair] = ()
    caps: Sequence[CountCap] = ()

    def fund_for(self, policy_id: str, programme: str) -> str | None:
        return self.funds.get((policy_id, programme))

    def payment_standard(self, policy_id: str, programme: str, tier: str | None, units: int,
                         on_date: date) -> PaymentStandard | None:
        for dated in self.amounts.get((policy_id, programme, tier), ()):
            if dated.valid_from <= on_date <= dated.valid_to:
                return PaymentStandard(fen=dated.fen * units, exact=True)
        return None

    def policy_period(self, policy_id: str) -> tuple[date, date | None] | None:
        return self.periods.get(policy_id)

    def exclusive_pairs(self) -> Sequence[ExclusivePair]:
        return self.pairs

    def count_caps(self) -> Sequence[CountCap]:
        return self.caps
