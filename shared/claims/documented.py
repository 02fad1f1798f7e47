"""The claim body and its decision as the OpenAPI documents describe them: one model per programme, a union
discriminated on `programme`, each with its own facts model, so a generated client types every programme's
facts; and the decision object of contract §3 (a claim's, and a what-if evaluation's).

The routes still validate with parse_claim (its field paths are the contract's 422 `errors`); these models
describe exactly what it accepts, programme by programme, and are never used to parse.
"""

from datetime import date
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from shared.claims.body import PROGRAMMES
from shared.claims.fields import Claimant, Jurisdiction, PayeeAccount, Strict

class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")  # as decided and stored: a member not named here is kept


class ReasonOut(_Answer):
    code: str = Field(description="a stable reason code (contract §3)")
    message: str
    clause: str


class StepOut(_Answer):
    step: str
    value: str
    clause: str


class DecisionOut(_Answer):
    """Contract §3's decision. Routes answering one leave out members a stored decision lacks."""

    outcome: Literal["eligible", "rejected"]
    amount: str | None = Field(default=None, description='yuan with two places, "0.00" when rejected')
    currency: Literal["CNY"] | None = None
    fund: str | None = None
    policy_id: str | None = None
    clause: str | None = None
    reasons: list[ReasonOut] = []
    computation: list[StepOut] = []
    decided_at: str | None = None


Overrides = dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=64)]]


def _camel(code: str) -> str:
    return "".join(part.capitalize() for part in code.split("_"))


def _claim_models(suffix: str, **extra: Any) -> list[type[Strict]]:
    return [create_model(f"{_camel(code)}{suffix}", __base__=Strict,
                         __doc__=f"A `{code}` claim (claimant: {kind}).",
                         programme=(Literal[code], ...), jurisdiction=(Jurisdiction, ...),  # type: ignore[valid-type]
                         claimant=(Claimant, ...), payee_account=(PayeeAccount, ...), facts=(facts, ...), **extra)
            for code, (kind, facts) in PROGRAMMES.items()]


def _union_schema(models: list[type[Strict]]) -> dict[str, Any]:
    union = Annotated[Union[tuple(models)], Field(discriminator="programme")]  # noqa: UP007 - a runtime tuple
    return TypeAdapter(union).json_schema(ref_template="#/components/schemas/{model}")


@cache
def claim_request_schema() -> dict[str, Any]:
    """POST /v1/claims: the union's schema, its models under `$defs` (moved to components by the caller)."""
    return _union_schema(_claim_models("Claim"))


@cache
def evaluation_request_schema() -> dict[str, Any]:
    """POST /v1/evaluations: the claim body plus the optional `as_of` date and parameter overrides."""
    return _union_schema(_claim_models(
        "Evaluation", as_of=(date | None, Field(default=None, description="the day to decide as of (China time)")),
        parameters=(Overrides | None, Field(default=None, description="parameter id -> decimal string"))))
