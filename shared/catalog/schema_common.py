"""Building blocks of a policy file: clauses, periods, dated parameters and the operands rules point at.

Every model forbids unknown fields, so a typo in a catalog file fails at load instead of being ignored.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator

from shared.money import parse_fen

Id = Annotated[str, Field(min_length=1, max_length=120)]
Note = Annotated[str, Field(min_length=1, max_length=2000)]

# What a parameter's value measures; decides how its text is read (money is always a yuan string, never a float).
# A `switch` is an operator's act: "active" makes a draft programme pay (see Programme.activation).
Unit = Literal["fen", "months", "count", "age", "year", "ratio", "switch"]
INTEGER_UNITS = ("months", "count", "age", "year")
SWITCH_VALUES = ("active", "inactive")
_FRACTION = re.compile(r"^\d{1,3}/\d{1,3}$")


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def parse_parameter_value(unit: str, raw: object) -> int | Decimal | Fraction | str:
    """Read a parameter value for its unit: fen from a yuan string, whole numbers, an exact ratio (a decimal,
    or a fraction such as "2/3" that no decimal writes exactly), or a switch."""
    if isinstance(raw, bool) or isinstance(raw, float):
        raise ValueError("a parameter value is a quoted string or a whole number, never a float or a bool")
    if unit == "fen":
        if not isinstance(raw, str):
            raise ValueError('money is written as a quoted yuan string with two places, e.g. "1000.00"')
        fen = parse_fen(raw)
        if fen < 0:
            raise ValueError("money cannot be negative")
        return fen
    if unit in INTEGER_UNITS:
        if isinstance(raw, str) and raw.strip().isdigit():
            return int(raw)
        if isinstance(raw, int):
            if raw < 0:
                raise ValueError(f"a {unit} value cannot be negative")
            return raw
        raise ValueError(f"a {unit} value is a whole number")
    if unit == "switch":
        if raw not in SWITCH_VALUES:
            raise ValueError(f"a switch is one of {', '.join(SWITCH_VALUES)}")
        return raw
    if isinstance(raw, str) and _FRACTION.match(raw.strip()):
        numerator, denominator = (int(x) for x in raw.strip().split("/"))
        if denominator == 0 or Fraction(numerator, denominator) > 10:
            raise ValueError("a ratio is a fraction between 0 and 10 with a non-zero denominator")
        return Fraction(numerator, denominator)
    try:
        ratio = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a decimal ratio: {raw!r}") from exc
    if not ratio.is_finite() or ratio < 0 or ratio > 10:
        raise ValueError("a ratio is a decimal between 0 and 10 (1.10 is 110%)")
    return ratio


class Period(Closed):
    """Dates (inclusive) within which a qualifying event must fall; `to` absent means open-ended."""

    starts: date = Field(alias="from")
    to: date | None = None
    clause: Id
    note: Note | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.to is not None and self.to < self.starts:
            raise ValueError("period ends before it starts")
        return self

    def covers(self, day: date) -> bool:
        return self.starts <= day and (self.to is None or day <= self.to)

    def describe(self) -> str:
        return f"{self.starts.isoformat()} to {self.to.isoformat() if self.to else 'open'}"


class Clause(Closed):
    id: Id
    section: Annotated[str, Field(min_length=1, max_length=60)]
    excerpt: Annotated[str, Field(min_length=1, max_length=600)]
    issuer: Annotated[str, Field(min_length=1, max_length=120)]
    date: date


class ParameterValue(Closed):
    """One dated value; dates are inclusive and effective_from is mandatory (an undated value is refused)."""

    effective_from: date
    effective_to: date | None = None
    value: StrictStr | StrictInt
    note: Note | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "ParameterValue":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def describe_dates(self) -> str:
        end = self.effective_to.isoformat() if self.effective_to else "open"
        return f"effective {self.effective_from.isoformat()} to {end}"


class Parameter(Closed):
    """A number a rule uses. `values: []` is a parameter the seeds leave unset: rules needing it refuse to pay."""

    id: Id
    clause: Id
    unit: Unit
    source: Literal["seed", "interpretation", "national_practice", "operator"]
    note: Note | None = None
    # A ceiling the seeds state for a value they leave open ("不超过600元"): no value, set or overridden, may pass it.
    maximum: StrictStr | StrictInt | None = None
    values: list[ParameterValue]

    @model_validator(mode="after")
    def _values_parse_and_do_not_overlap(self) -> "Parameter":
        for value in self.values:
            self.check_value(value.value)
        ordered = sorted(self.values, key=lambda v: v.effective_from)
        for earlier, later in zip(ordered, ordered[1:]):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise ValueError(
                    f"values overlap: the one from {earlier.effective_from} is still in effect on {later.effective_from}"
                )
        return self

    def check_value(self, raw: object) -> int | Decimal:
        """Read a value in this parameter's unit, refusing one above its maximum."""
        value = parse_parameter_value(self.unit, raw)
        if self.maximum is not None and value > parse_parameter_value(self.unit, self.maximum):
            raise ValueError(f"{raw} is above the maximum {self.maximum} the clause allows")
        return value

    def value_on(self, day: date) -> ParameterValue | None:
        return next((v for v in self.values if v.covers(day)), None)


class Operand(Closed):
    """What a comparison reads: a dated parameter, a fact of the claim, or the year of a date fact."""

    parameter: Id | None = None
    fact: Id | None = None
    year_of: Id | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "Operand":
        if sum(x is not None for x in (self.parameter, self.fact, self.year_of)) != 1:
            raise ValueError("an operand names exactly one of parameter, fact, year_of")
        return self


class When(Closed):
    """Guard: the rule applies only when a fact holds one of these values (e.g. one claimant category)."""

    fact: Id
    in_: list[StrictStr | StrictInt] = Field(alias="in", min_length=1)


class Interpretation(Closed):
    """A reading the seeds leave open, written beside the rule it shapes."""

    topic: Annotated[str, Field(min_length=1, max_length=120)]
    reading: Note
    clause: Id
    source: Literal["interpretation", "national_practice", "digest"]
