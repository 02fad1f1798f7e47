"""The money side of a programme: amount expressions (rates and units), caps, exclusivity and the fund.

Kept to a small fixed set of forms so that the engine implements each one once and every use names its
clause; a new form is added here and in the engine together. Conditions live in schema_conditions.
"""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StrictStr, model_validator

from shared.catalog.reasons import FundCode, ReasonCode
from shared.catalog.schema_common import Closed, Id, Note, Operand


class ValueTier(Closed):
    tier: Id
    equals: StrictStr | StrictInt
    parameter: Id


class ValueTiers(Closed):
    """Pick a tier by the exact value of a fact (a certificate level, a destination)."""

    by: Id
    tiers: list[ValueTier] = Field(min_length=1)
    unmatched: ReasonCode = "LEVEL_NOT_COVERED"


class RatioTier(Closed):
    """A half-open band [from, below) of a ratio; `below` absent means no upper bound."""

    tier: Id
    lower: Decimal = Field(alias="from")
    below: Decimal | None = None
    parameter: Id


class RatioTiers(Closed):
    numerator: Id
    denominator: Id
    tiers: list[RatioTier] = Field(min_length=1)
    if_denominator_zero: Id


class Share(Closed):
    """A ratio (possibly tiered) of a money fact or of a money parameter, rounded half-up to the fen."""

    of: Id | None = None
    of_parameter: Id | None = None
    ratio: "Rate"

    @model_validator(mode="after")
    def _one_base(self) -> "Share":
        if (self.of is None) == (self.of_parameter is None):
            raise ValueError("a share is of exactly one of: of (a money fact), of_parameter")
        return self


class Capped(Closed):
    """A money fact (what was actually paid), paid up to a cap."""

    fact: Id
    cap: "Rate"


class Multiple(Closed):
    """A whole-number factor times a money parameter (e.g. 2 x the monthly UI benefit)."""

    factor: Id
    of: Id


class Rate(Closed):
    """Money per unit: exactly one of the forms below."""

    parameter: Id | None = None
    by_value: ValueTiers | None = None
    by_ratio: RatioTiers | None = None
    share: Share | None = None
    capped: Capped | None = None
    multiple: Multiple | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Rate":
        if sum(getattr(self, name) is not None for name in type(self).model_fields) != 1:
            raise ValueError("a rate is exactly one of parameter, by_value, by_ratio, share, capped, multiple")
        return self


Share.model_rebuild()
Capped.model_rebuild()


class MonthWindow(Closed):
    """Only the months from the month of the qualifying date through `months` - 1 months later are paid
    ("最长不超过3年" from the month the claimant qualified); claimed months outside it are left out."""

    months: Annotated[int, Field(ge=1, le=120)]
    clause: Id
    note: Note | None = None


class MonthSpan(Closed):
    """Which calendar months the units are: `units` months from the month of `start`, or ending with the month
    of `end` (a date fact each). The months are written YYYY-MM in the grant, so a later claim for the same
    qualifying key is paid only for months no grant covers yet (cap kind `months`).

    `not_before` names date facts the first month may not precede: a stated count longer than the claim's own
    dates show (12 months claimed for a post held since last month) is refused with MONTHS_EXCEED_PERIOD.
    """

    start: Id | None = None
    end: Id | None = None
    not_before: list[Id] = []
    window: MonthWindow | None = None
    clause: Id
    note: Note | None = None

    @model_validator(mode="after")
    def _one_anchor(self) -> "MonthSpan":
        if (self.start is None) == (self.end is None):
            raise ValueError("a month span is anchored by exactly one of start, end")
        return self


class Units(Closed):
    """How many rate units a claim pays for: a whole-number fact, or a named rule the engine implements."""

    fact: Id | None = None
    rule: Literal["trainee_months"] | None = None
    per_rate: Annotated[int, Field(ge=1, le=120)] = 1
    # False: the rate already pays for the whole claim and units are only counted (for units_total caps).
    multiply: bool = True
    max: Operand | None = None
    # The units are calendar months: which ones (recorded in the grant; see MonthSpan).
    months: MonthSpan | None = None
    clause: Id
    note: Note | None = None

    @model_validator(mode="after")
    def _one_source(self) -> "Units":
        if (self.fact is None) == (self.rule is None):
            raise ValueError("units come from exactly one of fact, rule")
        return self


class Amount(Closed):
    clause: Id
    rate: Rate
    units: Units | None = None


class Cap(Closed):
    """A limit over earlier grants of the listed programmes that share the `same` fields with this claim.

    `same` holds `subject` (the person or organisation the grant is about) and/or qualifying-key fields.
    Kind `months`: no calendar month is paid twice; a claim is paid only for the months of its span that no
    matching grant covers (and refused with the cap's reason when none is left).
    """

    id: Id
    kind: Literal["once", "count_per_year", "units_total", "months"]
    programmes: list[Id] = Field(min_length=1)
    same: list[Id] = Field(min_length=1)
    limit: Id | None = None
    clause: Id
    reason: ReasonCode
    note: Note | None = None

    @model_validator(mode="after")
    def _limit_when_counting(self) -> "Cap":
        if (self.kind in ("once", "months")) != (self.limit is None):
            raise ValueError("count_per_year and units_total name a limit parameter; once and months do not")
        return self


class ExclusiveGroup(Closed):
    """Programmes of which one holder (matched on `same`) may enjoy only one."""

    id: Id
    programmes: list[Id] = Field(min_length=2)
    same: list[Id] = Field(min_length=1)
    clause: Id
    note: Note | None = None


class FundRef(Closed):
    code: FundCode
    clause: Id
    note: Note | None = None
