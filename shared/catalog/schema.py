"""The shape of one policy file (policies/<policy-id>.yaml) and of the catalog index (index.yaml)."""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from shared.catalog.reasons import FundCode
from shared.catalog.schema_common import Clause, Closed, Id, Interpretation, Note, Parameter, Period
from shared.catalog.schema_conditions import Condition
from shared.catalog.schema_rules import Amount, Cap, ExclusiveGroup, FundRef

PolicyStatus = Literal["in_force", "draft", "suspended", "revoked"]


class QualifyingAfter(Closed):
    """The qualifying date is this many months after the date fact (正常经营1年以上: the day the business
    completes one year, not the day it registered)."""

    months: Annotated[int, Field(ge=1, le=120)]
    clause: Id
    note: Note | None = None


class Programme(Closed):
    code: Id
    name: Annotated[str, Field(min_length=1, max_length=60)]
    clause: Id
    claimant: Literal["person", "organisation"]
    # Whose history caps and exclusions look at: the claimant, or a person fact (employee, trainee, ...).
    subject: Id
    fund: FundRef
    qualifying_date: Id
    qualifying_after: QualifyingAfter | None = None
    # Facts that identify what was paid for; person and USCC facts are stored as keyed pseudonyms.
    qualifying_key: list[Id] = Field(min_length=1)
    period: Period | None = None
    conditions: list[Condition] = []
    amount: Amount
    caps: list[Cap] = []
    interpretations: list[Interpretation] = []
    # A draft programme (or any programme of a draft policy) pays only while this operator parameter (unit
    # switch) is "active": activation is an operator's recorded act (PUT /v1/parameters), not a catalog edit.
    status: Literal["in_force", "draft"] = "in_force"
    activation: Id | None = None

    @model_validator(mode="after")
    def _top_level_reasons(self) -> "Programme":
        for index, condition in enumerate(self.conditions):
            if condition.reason is None:
                raise ValueError(f"conditions[{index}] has no reason code")
        return self


class RecordOnly(Closed):
    """A rule with money in it that this system records but does not pay per claim (loans, provincial grants)."""

    topic: Annotated[str, Field(min_length=1, max_length=200)]
    clause: Id
    why_not_paid: Note


class PolicyDocument(Closed):
    policy_id: Annotated[str, Field(pattern=r"^[a-z]+-\d{4}$")]
    title: Annotated[str, Field(min_length=1, max_length=200)]
    document_number: Annotated[str, Field(max_length=80)] | None = None
    issuer: Annotated[str, Field(min_length=1, max_length=120)]
    issued_on: date
    seed: Annotated[str, Field(min_length=1, max_length=80)]
    status: PolicyStatus
    status_note: Note | None = None
    period: Period
    clauses: list[Clause] = Field(min_length=1)
    parameters: list[Parameter] = []
    programmes: list[Programme] = []
    exclusive_groups: list[ExclusiveGroup] = []
    record_only: list[RecordOnly] = []
    interpretations: list[Interpretation] = []


class Fund(Closed):
    name: Annotated[str, Field(min_length=1, max_length=60)]
    note: Note | None = None


class JurisdictionPolicies(Closed):
    """Policies that apply in a jurisdiction, most specific first: the first in force that covers the date decides."""

    policies: list[Id] = Field(min_length=1)
    note: Note | None = None


class CatalogIndex(Closed):
    funds: dict[FundCode, Fund]
    jurisdictions: dict[Literal["qingyang", "yongchuan", "chongqing", "pingdingshan"], JurisdictionPolicies]
    note: Note | None = None
