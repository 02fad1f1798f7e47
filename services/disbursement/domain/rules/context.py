"""The state of one evaluation: the chosen policy and programme, parameter look-ups, reasons and steps."""

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shared.catalog import Catalog, DatedValue
from shared.catalog.schema import PolicyDocument, Programme
from shared.catalog.schema_common import Operand
from shared.claims import Claim

from services.disbursement.domain.rules.decision import Reason, Step
from services.disbursement.domain.rules.keys import read_fact


class UnknownParameter(ValueError):
    """An override names a parameter the catalog does not have, or gives it an unreadable value."""


def parse_overrides(catalog: Catalog, overrides: Mapping[str, str] | None) -> dict[str, DatedValue]:
    """Operator-set or what-if values by parameter id, read with the parameter's own unit."""
    parsed: dict[str, DatedValue] = {}
    for parameter_id, raw in (overrides or {}).items():
        try:
            parameter = catalog.parameter(parameter_id)
        except KeyError:
            raise UnknownParameter(f"unknown parameter {parameter_id!r}") from None
        try:
            value = parameter.check_value(raw)
        except ValueError as exc:
            raise UnknownParameter(f"parameter {parameter_id}: {exc}") from None
        parsed[parameter_id] = DatedValue(parameter, value, None, None, "override")
    return parsed


@functools.lru_cache(maxsize=4096)
def shared_step(name: str, value: str, clause: str) -> Step:
    """A step whose text recurs across decisions (catalog text, a tier, a date, a count, an amount): validated
    once while it recurs, then shared by every decision that shows it (a Step is frozen)."""
    return Step(step=name, value=value, clause=clause)


class Undecidable(Exception):
    """A rule needs an input that is missing or a parameter that is unset; carries the reason to record."""

    def __init__(self, reason: Reason):
        super().__init__(reason.message)
        self.reason = reason


@dataclass(slots=True)
class Evaluation:
    claim: Claim
    catalog: Catalog
    as_of: date
    policy: PolicyDocument
    programme: Programme
    qualifying_date: date
    overrides: dict[str, DatedValue]
    # Plain dicts (and shared Steps): the Decision validates them all at once in pydantic-core, far cheaper
    # than building a model for each.
    reasons: list[dict[str, str]] = field(default_factory=list)
    steps: list[dict[str, str] | Step] = field(default_factory=list)
    _rejected: set[tuple[str, str, str]] = field(default_factory=set)
    _shown: set[str] = field(default_factory=set)

    def step(self, name: str, value: str, clause: str) -> None:
        self.steps.append({"step": name, "value": value, "clause": clause})

    def shared_step(self, name: str, value: str, clause: str) -> None:
        """A step of recurring text (see shared_step); claim-specific text goes through step()."""
        self.steps.append(shared_step(name, value, clause))

    def reject(self, code: str, message: str, clause: str) -> None:
        if (code, message, clause) not in self._rejected:
            self._rejected.add((code, message, clause))
            self.reasons.append({"code": code, "message": message, "clause": clause})

    def fact(self, path: str) -> Any:
        return self.as_of if path == "as_of" else read_fact(self.claim.facts, path)

    def parameter(self, parameter_id: str) -> int | Decimal | None:
        """The value on the qualifying date (an override wins), shown once in the computation; None if unset."""
        dated = self.overrides.get(parameter_id) or self.catalog.parameter_value(parameter_id, self.qualifying_date)
        if dated is None:
            return None
        if parameter_id not in self._shown:
            self._shown.add(parameter_id)
            self.shared_step(f"parameter {parameter_id}", dated.shown, dated.parameter.clause)
        return dated.value

    def require_parameter(self, parameter_id: str) -> int | Decimal:
        value = self.parameter(parameter_id)
        if value is None:
            parameter = self.catalog.parameter(parameter_id)
            hint = f" ({parameter.note})" if parameter.note else ""
            message = f"parameter {parameter_id} has no value on {self.qualifying_date.isoformat()}; an operator must set it{hint}"
            raise Undecidable(Reason(code="PARAMETER_NOT_SET", message=message, clause=parameter.clause))
        return value

    def require_fact(self, path: str, code: str, clause: str) -> Any:
        value = self.fact(path)
        if value is None:
            message = f"the claim does not state {path}, which {clause} requires"
            raise Undecidable(Reason(code=code, message=message, clause=clause))  # type: ignore[arg-type]
        return value

    def operand(self, operand: Operand, code: str, clause: str) -> int:
        """A whole number a rule compares against: a parameter, a fact, or the year of a date fact."""
        if operand.parameter is not None:
            return int(self.require_parameter(operand.parameter))
        if operand.fact is not None:
            return int(self.require_fact(operand.fact, code, clause))
        return self.require_fact(operand.year_of or "", code, clause).year
