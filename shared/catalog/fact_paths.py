"""What a dotted fact path (e.g. "retention.completed", "employee") names in a programme's facts model.

The catalog names facts by path; checking them against the intake models at load means a rule can
never read a fact the claim does not carry.
"""

import functools

import types
import typing
from datetime import date

from pydantic import BaseModel

from shared.claims.fields import FenText, Person

FactKind = typing.Literal["date", "person", "money", "int", "bool", "text", "uscc", "model"]
_MONEY_MARK = FenText.__metadata__[0]  # the BeforeValidator that reads a yuan string


def _strip_optional(annotation: object) -> object:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


@functools.lru_cache(maxsize=1024)
def fact_kind(model: type[BaseModel], path: str) -> FactKind | None:
    """The kind of value at `path`, or None when the facts model has no such field (memoised: models are fixed)."""
    current: type[BaseModel] = model
    kind: FactKind | None = None
    for depth, name in enumerate(path.split(".")):
        field = current.model_fields.get(name)
        if field is None:
            return None
        annotation = _strip_optional(field.annotation)
        last = depth == len(path.split(".")) - 1
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if last:
                return "person" if issubclass(annotation, Person) else "model"
            current = annotation
            continue
        if not last:
            return None
        if _MONEY_MARK in field.metadata:
            kind = "money"
        elif annotation is date:
            kind = "date"
        elif annotation is bool:
            kind = "bool"
        elif annotation is int:
            kind = "int"
        elif name.endswith("uscc"):
            kind = "uscc"
        else:
            kind = "text"  # str and Literal choices
    return kind
