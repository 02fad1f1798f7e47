"""The policy catalog seen through the anomaly rules' Standards protocol.

The rules ask "nothing known" as None; the catalog answers an unknown policy, programme or tier
with KeyError. Both are translated here, so the rules never import the catalog.
"""

from collections.abc import Sequence
from datetime import date
from itertools import combinations

from services.audit.domain.anomalies.standards import CountCap, ExclusivePair
from shared.catalog import PaymentStandard, Catalog, load_catalog


class CatalogStandards:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._pairs = _exclusive_pairs(catalog)
        self._caps = _count_caps(catalog)

    def knows_fund(self, fund: str) -> bool:
        return fund in self.catalog.index.funds

    def fund_for(self, policy_id: str, programme: str) -> str | None:
        try:
            return self.catalog.fund_for(policy_id, programme)
        except KeyError:
            return None

    def payment_standard(self, policy_id: str, programme: str, tier: str | None, units: int,
                         on_date: date) -> PaymentStandard | None:
        # An unknown tier has no standard to compare with (the rules then say nothing about the amount).
        try:
            return self.catalog.payment_standard(policy_id, programme, tier, units, on_date)
        except KeyError:
            return None

    def policy_period(self, policy_id: str) -> tuple[date, date | None] | None:
        try:
            period = self.catalog.policy_period(policy_id)
        except KeyError:
            return None
        return period.starts, period.to

    def exclusive_pairs(self) -> Sequence[ExclusivePair]:
        return self._pairs

    def count_caps(self) -> Sequence[CountCap]:
        return self._caps


def catalog_standards() -> CatalogStandards:
    """The shipped catalog; a catalog that does not load stops the service (CatalogError), never a guess."""
    return CatalogStandards(load_catalog())


def _exclusive_pairs(catalog: Catalog) -> list[ExclusivePair]:
    """Every two programmes of an exclusive group form a pair the rules check."""
    pairs = []
    for group in catalog.exclusive_groups():
        pairs += [ExclusivePair(a, b, group.clause) for a, b in combinations(group.programmes, 2)]
    return pairs


def _count_caps(catalog: Catalog) -> list[CountCap]:
    """count_per_year caps, per programme they count, with the limit in force when the policy starts.

    The rules take one number per cap; the seeds set each limit once for the whole policy period.
    """
    caps = []
    for policy_id, policy in catalog.policies.items():
        for programme in policy.programmes:
            for cap in programme.caps:
                if cap.kind != "count_per_year" or cap.limit is None:
                    continue
                limit = catalog.parameter_value(cap.limit, policy.period.starts)
                if limit is not None:
                    caps += [CountCap(policy_id, code, int(limit.value), cap.clause) for code in cap.programmes]
    return sorted(set(caps))
