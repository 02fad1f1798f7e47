"""Field types and the parties of a claim: strict dates, bounded texts, checked identifiers."""

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator
from pydantic import WithJsonSchema

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
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,10}(\.\d{1,2})?", value.strip()):
        raise ValueError('must be an amount in yuan written as a string, e.g. "1500.00"')
    return parse_fen(value)


# Money a claimant reports (fees, contributions actually paid): a yuan string in, integer fen inside.
FenText = Annotated[int, BeforeValidator(_money_text), WithJsonSchema(
    {"type": "string", "pattern": r"^\d{1,10}(\.\d{1,2})?$", "description": 'yuan, e.g. "1500.00"'})]
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


class PayeeAccount(Strict):
    account_number: str = Field(pattern=r"^[0-9][0-9 \-]{7,38}[0-9]$")
    account_name: Name
    bank: Text


