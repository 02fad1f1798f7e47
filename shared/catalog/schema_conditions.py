"""Eligibility conditions a programme states: a small fixed set of kinds, each implemented once by the engine
(services/disbursement/domain/rules/conditions.py) and each naming its clause and reason code.
"""

from typing import Annotated, Literal, Union

from pydantic import Field, StrictInt, StrictStr, model_validator

from shared.catalog.reasons import ReasonCode
from shared.catalog.schema_common import Closed, Id, Note, Operand, When


class _Condition(Closed):
    clause: Id
    # Required on top-level conditions (checked by the programme); inside any_of the group's reason is reported.
    reason: ReasonCode | None = None
    when: When | None = None
    note: Note | None = None


class InCondition(_Condition):
    kind: Literal["in"]
    fact: Id
    values: list[StrictStr | StrictInt] = Field(min_length=1)


class IsTrueCondition(_Condition):
    kind: Literal["is_true"]
    fact: Id


class AtLeastCondition(_Condition):
    kind: Literal["at_least"]
    fact: Id
    min: Operand


class AgeBetweenCondition(_Condition):
    """Completed years of age of a person fact (from the resident id) on a date fact, bounds inclusive.

    `person` may be the word claimant (a person claimant); `max` absent means no upper bound.
    """

    kind: Literal["age_between"]
    person: Id
    on: Id
    min: Operand
    max: Operand | None = None


class MonthsBetweenCondition(_Condition):
    """`to` lies at least `min` and at most `max` calendar months after `from` (bounds inclusive).

    `to` may be the word as_of: the evaluation date, for "has operated one year" style rules.
    """

    kind: Literal["months_between"]
    start: Id = Field(alias="from")
    end: Id = Field(alias="to")
    min: Operand | None = None
    max: Operand | None = None

    @model_validator(mode="after")
    def _a_bound(self) -> "MonthsBetweenCondition":
        if self.min is None and self.max is None:
            raise ValueError("months_between needs min, max or both")
        return self


class MonthsWithinCondition(_Condition):
    """A stated month count (int fact) is at most the completed calendar months from `from` to `to` (a date
    fact, or as_of): 6 months of a contract "actually performed" cannot be claimed 3 months after it started."""

    kind: Literal["months_within"]
    months: Id
    start: Id = Field(alias="from")
    end: Id = Field(alias="to")


class RatioAtMostCondition(_Condition):
    """numerator / denominator (whole-number facts, computed exactly, never stated) is at most `max`; a unit of
    at most `small_size` (the denominator) may reach `small_max` instead (30人(含)以下 ... 20%)."""

    kind: Literal["ratio_at_most"]
    numerator: Id
    denominator: Id
    max: Id
    small_size: Operand | None = None
    small_max: Id | None = None

    @model_validator(mode="after")
    def _small_pair(self) -> "RatioAtMostCondition":
        if (self.small_size is None) != (self.small_max is None):
            raise ValueError("small_size and small_max come together")
        return self


class SameYearCondition(_Condition):
    kind: Literal["same_year"]
    fact: Id
    year: Operand


class NotEvidencedCondition(_Condition):
    """A requirement the intake form does not yet collect: always fails, so nothing is paid on a guess."""

    kind: Literal["not_evidenced"]
    evidence: Note


class AnyOfCondition(_Condition):
    kind: Literal["any_of"]
    conditions: list["Condition"] = Field(min_length=2)

    @model_validator(mode="after")
    def _no_guards_inside(self) -> "AnyOfCondition":
        # A guarded-out branch would make "one of" ambiguous; guard the whole group instead.
        if any(inner.when is not None for inner in self.conditions):
            raise ValueError("conditions inside any_of cannot have `when`; put it on the any_of")
        return self


Condition = Annotated[
    Union[
        InCondition,
        IsTrueCondition,
        AtLeastCondition,
        AgeBetweenCondition,
        MonthsBetweenCondition,
        MonthsWithinCondition,
        RatioAtMostCondition,
        SameYearCondition,
        NotEvidencedCondition,
        AnyOfCondition,
    ],
    Field(discriminator="kind"),
]
AnyOfCondition.model_rebuild()
