"""Request bodies of the finance API (contract §4); responses are built by service.batch_view and fund_budgets."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.money import parse_fen

ClaimId = Annotated[str, Field(min_length=1, max_length=36)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class DraftBatch(_Request):
    fund: str = Field(min_length=1, max_length=64)
    programme: str | None = Field(default=None, min_length=1, max_length=64)
    # omitted: every eligible claim of the fund (and programme), oldest first, up to the batch size limit
    claim_ids: list[ClaimId] | None = Field(default=None, min_length=1)

    @field_validator("claim_ids")
    @classmethod
    def _each_once(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each claim may be listed once")
        return value


class RejectBatch(_Request):
    reason: str = Field(min_length=1, max_length=500)


class BudgetAmount(_Request):
    amount: str = Field(min_length=1, max_length=20, description='yuan with two places, e.g. "5000000.00"')

    @field_validator("amount", mode="before")  # before: the model strips spaces, money must not have any
    @classmethod
    def _money(cls, value: object) -> object:
        if not isinstance(value, str):
            return value  # the str type refuses it
        fen = parse_fen(value)
        if fen < 0:
            raise ValueError("a budget cannot be negative")
        return value

    @property
    def amount_fen(self) -> int:
        return parse_fen(self.amount)
