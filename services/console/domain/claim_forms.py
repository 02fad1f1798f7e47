"""One form per programme, read from the claim body's own models (shared.claims: the schema the applications
service validates with), and the way back: form fields to a JSON claim body, problem details to messages
beside each field. The console never judges a claim itself; the API's 422 says what is wrong."""

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, BeforeValidator

from shared.claims import JURISDICTIONS, PROGRAMMES
from services.console.domain.vocabulary import JURISDICTIONS as PLACES
from services.console.domain.claim_fields import CHOICES, FIELDS, LEVELS, SECTIONS

TEXT, DATE, INTEGER, BOOLEAN, CHOICE, MONEY = "text", "date", "integer", "boolean", "choice", "money"


@dataclass(frozen=True)
class FormField:
    path: str  # the dotted path in the claim body, and the input's name (facts.employee.id_number)
    label: str  # a message id
    kind: str
    required: bool
    nullable: bool = False  # required but may be empty (sent as null), e.g. a contract not yet signed
    choices: tuple[tuple[str, str], ...] = ()  # (value, message id)


@dataclass(frozen=True)
class FormGroup:
    path: str
    legend: str
    fields: list["FormField | FormGroup"] = field(default_factory=list)


def programme_codes() -> list[str]:
    return list(PROGRAMMES)


def claimant_kind(programme: str) -> str:
    return PROGRAMMES[programme][0]


def claim_form(programme: str) -> list[FormGroup]:
    """The form's groups: claimant, payee account, and the programme's facts (nested groups for a person or
    a retention record)."""
    kind, facts_model = PROGRAMMES[programme]
    identifier = FormField("claimant.id_number" if kind == "person" else "claimant.uscc",
                           FIELDS["id_number" if kind == "person" else "uscc"], TEXT, True)
    claimant = FormGroup("claimant", SECTIONS["claimant"], [
        FormField("jurisdiction", FIELDS["jurisdiction"], CHOICE, True,
                  choices=tuple((j, PLACES[j]) for j in JURISDICTIONS)),
        FormField("claimant.name", FIELDS["name"], TEXT, True), identifier])
    return [claimant, payee_form(), _group("facts", SECTIONS["facts"], facts_model)]


PAYEE_FIELDS = ("account_number", "account_name", "bank")


def payee_form() -> FormGroup:
    """The payee account's fields: in the claim form, and alone when a claimant corrects it after a failure."""
    return FormGroup("payee_account", SECTIONS["payee_account"], [
        FormField(f"payee_account.{name}", FIELDS[name], TEXT, True) for name in PAYEE_FIELDS])


def payee_body(form: dict[str, str]) -> dict[str, str]:
    """The body of PUT /v1/claims/{id}/payee-account; an empty field is left out, so the API names it."""
    return {name: value for name in PAYEE_FIELDS if (value := (form.get(f"payee_account.{name}") or "").strip())}


def payee_messages(errors: list[dict[str, str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The payee API names its fields bare (account_number); the form's are under payee_account."""
    named = [{**e, "field": f"payee_account.{e['field']}"} if str(e.get("field", "")) in PAYEE_FIELDS else e
             for e in errors]
    return field_messages(named, None)


def _group(path: str, legend: str, model: type[BaseModel]) -> FormGroup:
    group = FormGroup(path, legend)
    for name, info in model.model_fields.items():
        child = f"{path}.{name}"
        annotation, optional = _unwrap_optional(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            group.fields.append(_group(child, FIELDS.get(name, name), annotation))
            continue
        metadata = list(info.metadata)
        if typing.get_origin(annotation) is typing.Annotated:  # IsoDate | None keeps its Annotated inside
            annotation, *more = typing.get_args(annotation)
            metadata += more
        kind, choices = _kind(name, annotation, metadata)
        required = info.is_required()
        group.fields.append(FormField(child, FIELDS.get(name, name), kind, required, nullable=required and optional,
                                      choices=choices))
    return group


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        return next(a for a in args if a is not type(None)), True
    return annotation, False


def _kind(name: str, annotation: Any, metadata: list[Any]) -> tuple[str, tuple[tuple[str, str], ...]]:
    if name == "level":
        return CHOICE, tuple(LEVELS.items())
    if typing.get_origin(annotation) is typing.Literal:
        return CHOICE, tuple((str(v), CHOICES.get(str(v), str(v))) for v in typing.get_args(annotation))
    if annotation is bool:
        return BOOLEAN, (("true", CHOICES["true"]), ("false", CHOICES["false"]))
    if annotation is date:
        return DATE, ()
    if annotation is int:
        money = any(isinstance(m, BeforeValidator) and m.func.__name__ == "_money_text" for m in metadata)
        return (MONEY, ()) if money else (INTEGER, ())
    return TEXT, ()


def leaves(groups: list[FormGroup]) -> list[FormField]:
    out: list[FormField] = []
    for group in groups:
        for item in group.fields:
            out.extend(leaves([item]) if isinstance(item, FormGroup) else [item])
    return out


def claim_body(programme: str, form: dict[str, str]) -> dict[str, Any]:
    """The JSON body of POST /v1/claims from the submitted form. A value that does not read as its type is
    sent as typed (an integer field's "twelve" as text) so that the API's own message names the fault; an
    empty field is left out (the API then says it is required), or sent as null where null is allowed."""
    body: dict[str, Any] = {"programme": programme,
                            "claimant": {"kind": claimant_kind(programme)}, "payee_account": {}, "facts": {}}
    for item in leaves(claim_form(programme)):
        raw = (form.get(item.path) or "").strip()
        if not raw:
            if item.nullable:
                _put(body, item.path, None)
            continue
        _put(body, item.path, _typed(item.kind, raw))
    return body


def _typed(kind: str, raw: str) -> Any:
    if kind == BOOLEAN:
        return {"true": True, "false": False}.get(raw, raw)
    if kind == INTEGER or (kind == CHOICE and raw.isdigit() and len(raw) == 1):  # the certificate level
        return int(raw) if raw.lstrip("-").isdigit() else raw
    return raw


def _put(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = body
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def field_messages(errors: list[dict[str, str]], programme: str | None) -> tuple[dict[str, list[str]], list[str]]:
    """Problem-detail errors as (messages per form field, messages for the form as a whole): an error on
    a group (facts.retention) or on the body goes above the form. Without a programme: the payee form's."""
    paths = {item.path for item in leaves(claim_form(programme) if programme else [payee_form()])}
    per_field: dict[str, list[str]] = {}
    general: list[str] = []
    for error in errors:
        path = str(error.get("field", ""))
        message = str(error.get("message", ""))
        if path in paths:
            per_field.setdefault(path, []).append(message)
        else:
            general.append(f"{path}: {message}" if path and path not in ("body", "facts") else message)
    return per_field, general
