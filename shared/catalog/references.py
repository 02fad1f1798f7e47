"""Cross-reference checks a schema alone cannot express: every clause, parameter and fact a rule
names must exist, with the right unit or kind, and tiers must not overlap.

Each problem is returned as (location, message); the loader turns locations into file lines.
"""

from collections.abc import Iterator

from pydantic import BaseModel

from shared.catalog.fact_paths import fact_kind
from shared.catalog.schema import PolicyDocument, Programme
from shared.catalog.schema_common import INTEGER_UNITS, Operand, Parameter
from shared.catalog.schema_conditions import AnyOfCondition
from shared.catalog.schema_rules import Rate
from shared.claims import PROGRAMMES

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

# The unit an operand's parameter must have, by the condition kind that reads it.
_OPERAND_UNITS = {
    "at_least": ("months", "count"),
    "age_between": ("age",),
    "months_between": ("months",),
    "same_year": ("year",),
    "ratio_at_most": ("count",),
}
_FACT_KINDS = {"at_least": ("int",), "same_year": ("date",)}


def _alias(model: BaseModel, name: str) -> str:
    return type(model).model_fields[name].alias or name


def _walk_clause_fields(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every `clause` field anywhere in a model tree, with its location in file terms (aliases)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            child = getattr(value, name)
            if name == "clause" and isinstance(child, str):
                yield (*loc, "clause"), child
            else:
                yield from _walk_clause_fields(child, (*loc, _alias(value, name)))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk_clause_fields(item, (*loc, index))


class _ProgrammeChecker:
    def __init__(self, doc: PolicyDocument, programme: Programme, loc: Loc):
        self.params: dict[str, Parameter] = {p.id: p for p in doc.parameters}
        self.programme, self.loc = programme, loc
        self.facts = PROGRAMMES[programme.code][1] if programme.code in PROGRAMMES else None
        self.problems: list[Problem] = []

    def fact(self, path: str, loc: Loc, kinds: tuple[str, ...] | None = None) -> None:
        if self.facts is None:
            return
        kind = fact_kind(self.facts, path)
        if kind is None:
            self.problems.append((loc, f"unknown fact {path!r} for programme {self.programme.code}"))
        elif kinds is not None and kind not in kinds:
            self.problems.append((loc, f"fact {path!r} is {kind}, expected {' or '.join(kinds)}"))

    def parameter(self, parameter_id: str, loc: Loc, units: tuple[str, ...]) -> None:
        parameter = self.params.get(parameter_id)
        if parameter is None:
            self.problems.append((loc, f"unknown parameter {parameter_id!r}"))
        elif parameter.unit not in units:
            self.problems.append((loc, f"parameter {parameter_id!r} is in {parameter.unit}, expected {' or '.join(units)}"))

    def operand(self, operand: Operand, loc: Loc, units: tuple[str, ...]) -> None:
        if operand.parameter is not None:
            self.parameter(operand.parameter, (*loc, "parameter"), units)
        elif operand.fact is not None:
            self.fact(operand.fact, (*loc, "fact"), ("int",))
        else:
            self.fact(operand.year_of or "", (*loc, "year_of"), ("date",))

    def condition(self, condition: object, loc: Loc) -> None:
        kind = getattr(condition, "kind")
        if condition.when is not None:
            self.fact(condition.when.fact, (*loc, "when", "fact"), ("text", "int", "bool"))
        if isinstance(condition, AnyOfCondition):
            for index, inner in enumerate(condition.conditions):
                self.condition(inner, (*loc, "conditions", index))
            return
        if kind in ("in", "is_true", "at_least", "same_year"):
            default = ("bool",) if kind == "is_true" else ("text", "int")
            self.fact(condition.fact, (*loc, "fact"), _FACT_KINDS.get(kind, default))
        if kind == "age_between":
            if condition.person == "claimant":
                if self.programme.claimant != "person":
                    self.problems.append(((*loc, "person"), "person: claimant needs a person claimant"))
            else:
                self.fact(condition.person, (*loc, "person"), ("person",))
            self.fact(condition.on, (*loc, "on"), ("date",))
        if kind in ("months_between", "months_within"):
            self.fact(condition.start, (*loc, "from"), ("date",))
            if condition.end != "as_of":
                self.fact(condition.end, (*loc, "to"), ("date",))
        if kind == "months_within":
            self.fact(condition.months, (*loc, "months"), ("int",))
        if kind == "ratio_at_most":
            self.fact(condition.numerator, (*loc, "numerator"), ("int",))
            self.fact(condition.denominator, (*loc, "denominator"), ("int",))
            for name in ("max", "small_max"):
                if getattr(condition, name) is not None:
                    self.parameter(getattr(condition, name), (*loc, name), ("ratio",))
            if condition.small_size is not None:
                self.operand(condition.small_size, (*loc, "small_size"), ("count",))
            return
        for bound in ("min", "max", "year"):
            operand = getattr(condition, bound, None)
            if isinstance(operand, Operand):
                self.operand(operand, (*loc, bound), _OPERAND_UNITS.get(kind, INTEGER_UNITS))

    def rate(self, rate: Rate, loc: Loc, units: tuple[str, ...] = ("fen",)) -> None:
        if rate.parameter is not None:
            self.parameter(rate.parameter, (*loc, "parameter"), units)
        if rate.by_value is not None:
            self.fact(rate.by_value.by, (*loc, "by_value", "by"), ("text", "int"))
            seen: set[object] = set()
            for index, tier in enumerate(rate.by_value.tiers):
                if tier.equals in seen:
                    self.problems.append(((*loc, "by_value", "tiers", index, "equals"), f"overlapping tiers: {tier.equals!r} appears twice"))
                seen.add(tier.equals)
                self.parameter(tier.parameter, (*loc, "by_value", "tiers", index, "parameter"), units)
        if rate.by_ratio is not None:
            self._ratio_tiers(rate, (*loc, "by_ratio"), units)
        if rate.share is not None:
            if rate.share.of is not None:
                self.fact(rate.share.of, (*loc, "share", "of"), ("money",))
            else:
                self.parameter(rate.share.of_parameter or "", (*loc, "share", "of_parameter"), units)
            self.rate(rate.share.ratio, (*loc, "share", "ratio"), ("ratio",))
        if rate.capped is not None:
            self.fact(rate.capped.fact, (*loc, "capped", "fact"), ("money",))
            self.rate(rate.capped.cap, (*loc, "capped", "cap"), units)
        if rate.multiple is not None:
            self.parameter(rate.multiple.factor, (*loc, "multiple", "factor"), ("count",))
            self.parameter(rate.multiple.of, (*loc, "multiple", "of"), units)

    def _ratio_tiers(self, rate: Rate, loc: Loc, units: tuple[str, ...]) -> None:
        spec = rate.by_ratio
        self.fact(spec.numerator, (*loc, "numerator"), ("int",))
        self.fact(spec.denominator, (*loc, "denominator"), ("int",))
        indexed = sorted(enumerate(spec.tiers), key=lambda pair: pair[1].lower)
        for index, tier in enumerate(spec.tiers):
            self.parameter(tier.parameter, (*loc, "tiers", index, "parameter"), units)
            if tier.below is not None and tier.below <= tier.lower:
                self.problems.append(((*loc, "tiers", index), f"tier {tier.tier!r} is empty: below <= from"))
        for (_, earlier), (later_index, later) in zip(indexed, indexed[1:]):
            if earlier.below is None or earlier.below > later.lower:
                self.problems.append(((*loc, "tiers", later_index), f"overlapping tiers: {later.tier!r} starts inside {earlier.tier!r}"))
        if spec.if_denominator_zero not in {t.tier for t in spec.tiers}:
            self.problems.append(((*loc, "if_denominator_zero"), f"unknown tier {spec.if_denominator_zero!r}"))

    def run(self) -> list[Problem]:
        programme, loc = self.programme, self.loc
        if self.facts is None:
            self.problems.append(((*loc, "code"), f"programme {programme.code!r} has no facts model in shared.claims.PROGRAMMES"))
            return self.problems
        if PROGRAMMES[programme.code][0] != programme.claimant:
            self.problems.append(((*loc, "claimant"), f"intake says {programme.code} is claimed by a {PROGRAMMES[programme.code][0]}"))
        if programme.subject != "claimant":
            self.fact(programme.subject, (*loc, "subject"), ("person",))
        self.fact(programme.qualifying_date, (*loc, "qualifying_date"), ("date",))
        for index, path in enumerate(programme.qualifying_key):
            self.fact(path, (*loc, "qualifying_key", index), ("text", "int", "person", "uscc", "date"))
        for index, condition in enumerate(programme.conditions):
            self.condition(condition, (*loc, "conditions", index))
        self.rate(programme.amount.rate, (*loc, "amount", "rate"))
        units = programme.amount.units
        if units is not None:
            if units.fact is not None:
                self.fact(units.fact, (*loc, "amount", "units", "fact"), ("int",))
            if units.max is not None:
                self.operand(units.max, (*loc, "amount", "units", "max"), ("months", "count"))
            if units.months is not None:
                self._month_span(units.months, (*loc, "amount", "units", "months"))
        if programme.qualifying_after is not None and programme.qualifying_date == "as_of":
            self.problems.append(((*loc, "qualifying_after"), "qualifying_after needs a date fact"))
        for index, cap in enumerate(programme.caps):
            if cap.limit is not None:
                self.parameter(cap.limit, (*loc, "caps", index, "limit"), ("count", "months"))
            if cap.kind == "months" and (units is None or units.months is None):
                self.problems.append(((*loc, "caps", index, "kind"), "a months cap needs amount.units.months (which months are paid)"))
        if programme.activation is not None:
            self.parameter(programme.activation, (*loc, "activation"), ("switch",))
            if self.params.get(programme.activation) is not None and self.params[programme.activation].source != "operator":
                self.problems.append(((*loc, "activation"), "an activation is an operator's act: its parameter has source operator"))
        return self.problems

    def _month_span(self, span, loc: Loc) -> None:
        for name in ("start", "end"):
            if getattr(span, name) is not None:
                self.fact(getattr(span, name), (*loc, name), ("date",))
        for index, path in enumerate(span.not_before):
            self.fact(path, (*loc, "not_before", index), ("date",))


def check_policy(doc: PolicyDocument, file_stem: str) -> list[Problem]:
    """Everything wrong with one policy file that its schema could not see."""
    problems: list[Problem] = []
    if doc.policy_id != file_stem:
        problems.append((("policy_id",), f"policy_id {doc.policy_id!r} does not match the file name {file_stem}.yaml"))
    clause_ids: set[str] = set()
    for index, clause in enumerate(doc.clauses):
        if not clause.id.startswith(f"{doc.policy_id} §"):
            problems.append((("clauses", index, "id"), f"clause id must start with '{doc.policy_id} §'"))
        if clause.id in clause_ids:
            problems.append((("clauses", index, "id"), f"duplicate clause id {clause.id!r}"))
        clause_ids.add(clause.id)
    for loc, clause_id in _walk_clause_fields(doc, ()):
        if clause_id not in clause_ids:
            problems.append((loc, f"dangling clause id {clause_id!r}: no such clause in {doc.policy_id}"))
    seen_params: set[str] = set()
    for index, parameter in enumerate(doc.parameters):
        if not parameter.id.startswith(f"{doc.policy_id}."):
            problems.append((("parameters", index, "id"), f"parameter id must start with '{doc.policy_id}.'"))
        if parameter.id in seen_params:
            problems.append((("parameters", index, "id"), f"duplicate parameter id {parameter.id!r}"))
        seen_params.add(parameter.id)
    codes: set[str] = set()
    for index, programme in enumerate(doc.programmes):
        if programme.code in codes:
            problems.append((("programmes", index, "code"), f"programme {programme.code!r} appears twice"))
        codes.add(programme.code)
        if (doc.status == "draft" or programme.status == "draft") and programme.activation is None:
            problems.append((("programmes", index), f"draft programme {programme.code} names no activation parameter"))
        problems += _ProgrammeChecker(doc, programme, ("programmes", index)).run()
    return problems
