"""Field types and the parties of a claim: strict dates, bounded texts, checked identifiers."""

import re
from datetime import date
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, WithJsonSchema, field_validator, model_validator)

from shared.bank_text import MAX_BANK_TEXT, account_number_problem, bank_text_problem, nfc

from shared.identifiers import validate_resident_id, validate_uscc
from shared.money import parse_fen

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

JURISDICTIONS = ("qingyang", "yongchuan", "chongqing", "pingdingshan")
Jurisdiction = Literal["qingyang", "yongchuan", "chongqing", "pingdingshan"]


def _iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError("is not a real calendar date") from exc


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Months = Annotated[StrictInt, Field(ge=0, le=1200)]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


def _money_text(value: Any) -> int:
    # Only a decimal string is accepted: a JSON number could be a float or be misread as fen.
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,10}(\.[0-9]{1,2})?", value):
        raise ValueError('must be an amount in yuan written as a string, e.g. "1500.00"')
    return parse_fen(value)


# Money a claimant reports (fees, contributions actually paid): a yuan string in, integer fen inside.
FenText = Annotated[int, BeforeValidator(_money_text), WithJsonSchema(
    {"type": "string", "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$", "description": 'yuan, e.g. "1500.00"'})]
Level = Annotated[StrictInt, Field(ge=1, le=5)]
OccupationCode = Annotated[str, Field(min_length=1, max_length=40)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Person(Strict):
    id_number: str = Field(max_length=32)
    name: Name

    @field_validator("id_number")
    @classmethod
    def _resident_id(cls, value: str) -> str:
        return validate_resident_id(value)


class Claimant(Strict):
    kind: Literal["person", "organisation"]
    id_number: str | None = Field(default=None, max_length=32)
    uscc: str | None = Field(default=None, max_length=32)
    name: Name

    @field_validator("id_number")
    @classmethod
    def _resident_id(cls, value: str | None) -> str | None:
        return None if value is None else validate_resident_id(value)

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str | None) -> str | None:
        return None if value is None else validate_uscc(value)

    @model_validator(mode="after")
    def _identifier_matches_kind(self) -> "Claimant":
        if self.kind == "person" and (self.id_number is None or self.uscc is not None):
            raise ValueError("a person claimant carries id_number (and no uscc)")
        if self.kind == "organisation" and (self.uscc is None or self.id_number is not None):
            raise ValueError("an organisation claimant carries uscc (and no id_number)")
        return self

    @property
    def identifier(self) -> str:
        return self.id_number or self.uscc or ""


def _nfc(value: Any) -> Any:
    return nfc(value) if isinstance(value, str) else value


def _refuse(problem: Callable[[str], str | None]) -> Callable[[str], str]:
    def check(value: str) -> str:
        message = problem(value)
        if message is not None:
            raise ValueError(message)
        return value

    return check


# What the pain.001 file carries for the payee (shared.bank_text): checked at intake and at every correction,
# so that no claim can reach a batch whose file cannot be rendered.
BankName = Annotated[str, BeforeValidator(_nfc), Field(min_length=1, max_length=MAX_BANK_TEXT),
                     AfterValidator(_refuse(bank_text_problem))]
AccountNumber = Annotated[str, Field(pattern=r"^[0-9][0-9 \-]{7,38}[0-9]$"), AfterValidator(_refuse(account_number_problem))]


class PayeeAccount(Strict):
    account_number: AccountNumber
    account_name: BankName
    bank: BankName


