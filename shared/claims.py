"""The claim body of contract §3: claimant, payee account and programme facts, validated strictly.

Shared because the applications service validates it at intake and the disbursement service
validates the same body for what-if evaluations.
"""

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

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
FenText = Annotated[int, BeforeValidator(_money_text)]
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


class SkillUpgradeFacts(Strict):
    certificate_number: Text
    occupation_code: OccupationCode
    level: Level
    certificate_issued_on: IsoDate
    ui_contribution_months: Months
    receiving_ui_benefit: StrictBool


class Retention(Strict):
    completed: Annotated[StrictInt, Field(ge=0, le=1_000_000)]
    retained: Annotated[StrictInt, Field(ge=0, le=1_000_000)]

    @model_validator(mode="after")
    def _retained_within_completed(self) -> "Retention":
        if self.retained > self.completed:
            raise ValueError("retained cannot exceed completed")
        return self


class _GraduateOrYouth(Strict):
    graduated_on: IsoDate | None = None

    def _require_graduation(self, category: str) -> None:
        if category == "graduate" and self.graduated_on is None:
            raise ValueError("graduated_on is required for a graduate")


class TraineeFacts(_GraduateOrYouth):
    trainee: Person
    trainee_category: Literal["graduate", "unemployed_youth"]
    start_date: IsoDate
    agreed_months: Annotated[StrictInt, Field(ge=1, le=120)]
    served_months: Annotated[StrictInt, Field(ge=0, le=120)]
    contract_signed_on: IsoDate | None
    retention: Retention

    @model_validator(mode="after")
    def _consistent(self) -> "TraineeFacts":
        self._require_graduation(self.trainee_category)
        if self.served_months > self.agreed_months:
            raise ValueError("served_months cannot exceed agreed_months")
        return self


class StartupFacts(Strict):
    founder_category: Literal["graduate", "hard_to_employ", "veteran", "returning_migrant_worker"]
    business_uscc: str = Field(max_length=32)
    business_registered_on: IsoDate
    first_business: StrictBool

    @field_validator("business_uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        return validate_uscc(value)


class HiringFacts(_GraduateOrYouth):
    employee: Person
    employee_category: Literal["graduate", "unemployed_youth"]
    contract_start: IsoDate
    contract_months: Months
    insurance_paid_months: Months

    @model_validator(mode="after")
    def _consistent(self) -> "HiringFacts":
        self._require_graduation(self.employee_category)
        return self


class LongTermUnemployedHiringFacts(Strict):
    employee: Person
    unemployed_registered_on: IsoDate
    contract_start: IsoDate
    contract_months: Months


# Programmes added after the contract's table (issue 3), in the same style: strict, bounded, dates as IsoDate.


class SkillAppraisalFacts(Strict):
    certificate_number: Text
    occupation_code: OccupationCode
    level: Level
    # A training certificate (培训合格证) is not a skill certificate: qingyang-2023 §19 excludes it.
    certificate_kind: Literal["vocational_qualification", "skill_level", "training_certificate"]
    certificate_issued_on: IsoDate
    first_appraisal: StrictBool
    subsidised_training: StrictBool
    appraisal_fee_paid: FenText


class JobSeekingFacts(Strict):
    # The national groups of hard-up graduates (困难高校毕业生).
    hardship_category: Literal[
        "low_income_family", "zero_employment_family", "poverty_alleviated_family",
        "extreme_hardship", "disabled", "student_loan", "none",
    ]
    graduating_on: IsoDate
    applied_on: IsoDate


class LabourTransferFacts(Strict):
    worker: Person
    poverty_alleviated: StrictBool
    employer_uscc: str = Field(max_length=32)
    contract_start: IsoDate
    contract_months_performed: Months

    @field_validator("employer_uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        return validate_uscc(value)


class GraduateHiringFacts(Strict):
    employee: Person
    graduated_on: IsoDate
    enterprise_size: Literal["micro", "small", "medium", "large"]
    contract_start: IsoDate
    contract_months: Months
    employed_months: Months
    insurance_paid_months: Months


class HardToEmployHiringFacts(Strict):
    employee: Person
    hard_to_employ_registered: StrictBool
    contract_start: IsoDate
    contract_months: Months
    insurance_paid_months: Months


class ApprenticeshipFacts(Strict):
    apprentice: Person
    certificate_number: Text
    occupation_code: OccupationCode
    # A special-competence certificate (专项职业能力证书) counts as 初级 (level 5) under yongchuan-2020 §43.
    certificate_kind: Literal["vocational_qualification", "skill_level", "special_competence"]
    level: Level
    certificate_issued_on: IsoDate
    training_start: IsoDate
    training_months: Annotated[StrictInt, Field(ge=1, le=48)]

    @model_validator(mode="after")
    def _special_competence_is_level_5(self) -> "ApprenticeshipFacts":
        if self.certificate_kind == "special_competence" and self.level != 5:
            raise ValueError("a special-competence certificate counts as level 5")
        return self


class StartupSocialInsuranceFacts(Strict):
    founder_category: Literal["graduate", "hard_to_employ", "veteran", "returning_migrant_worker"]
    business_uscc: str = Field(max_length=32)
    business_registered_on: IsoDate
    first_business: StrictBool
    contribution_period_end: IsoDate
    contribution_months: Annotated[StrictInt, Field(ge=1, le=12)]
    employer_contributions_paid: FenText

    @field_validator("business_uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        return validate_uscc(value)


class EmploymentWorkshopFacts(Strict):
    worker: Person
    local_household: StrictBool
    poverty_alleviated: StrictBool
    employed_from: IsoDate
    employed_months: Months
    assessed_on: IsoDate


class TransportSubsidyFacts(Strict):
    poverty_alleviated: StrictBool
    destination: Literal["cross_province", "in_province"]
    departed_on: IsoDate


class GrassrootsPostFacts(Strict):
    graduated_on: IsoDate
    post_kind: Literal["grassroots_public_management", "grassroots_social_service", "other"]
    post_start: IsoDate
    period_end: IsoDate
    months_claimed: Annotated[StrictInt, Field(ge=1, le=12)]


class LabourExportFacts(Strict):
    worker: Person
    migrant_worker: StrictBool
    cross_province: StrictBool
    departed_on: IsoDate


class TemporaryLivingAllowanceFacts(Strict):
    laid_off_unemployed: StrictBool
    hardship_confirmed: StrictBool
    assessed_on: IsoDate


# programme code -> (claimant kind, facts model). More programmes are added here the same way.
PROGRAMMES: dict[str, tuple[str, type[Strict]]] = {
    "skill_upgrade": ("person", SkillUpgradeFacts),
    "trainee": ("organisation", TraineeFacts),
    "startup": ("person", StartupFacts),
    "hiring": ("organisation", HiringFacts),
    "job_expansion": ("organisation", HiringFacts),
    "hiring_long_term_unemployed": ("organisation", LongTermUnemployedHiringFacts),
    "skill_appraisal": ("person", SkillAppraisalFacts),
    "job_seeking_subsidy": ("person", JobSeekingFacts),
    "labour_transfer_award": ("organisation", LabourTransferFacts),
    "graduate_hiring": ("organisation", GraduateHiringFacts),
    "hiring_hard_to_employ": ("organisation", HardToEmployHiringFacts),
    "apprenticeship": ("organisation", ApprenticeshipFacts),
    "startup_social_insurance": ("person", StartupSocialInsuranceFacts),
    "employment_workshop_award": ("organisation", EmploymentWorkshopFacts),
    "transport_subsidy": ("person", TransportSubsidyFacts),
    "grassroots_post_subsidy": ("person", GrassrootsPostFacts),
    "labour_export_award": ("organisation", LabourExportFacts),
    "temporary_living_allowance": ("person", TemporaryLivingAllowanceFacts),
}


class ClaimBody(Strict):
    """The envelope of POST /v1/claims; `facts` is checked against the programme's own model by parse_claim."""

    programme: Annotated[str, Field(min_length=1, max_length=64)]
    jurisdiction: Jurisdiction
    claimant: Claimant
    payee_account: PayeeAccount
    facts: dict[str, Any]

    @field_validator("programme")
    @classmethod
    def _known_programme(cls, value: str) -> str:
        if value not in PROGRAMMES:
            raise ValueError(f"unknown programme {value!r}; known: {', '.join(sorted(PROGRAMMES))}")
        return value

    @model_validator(mode="after")
    def _claimant_kind_for_programme(self) -> "ClaimBody":
        kind, _ = PROGRAMMES[self.programme]
        if self.claimant.kind != kind:
            raise ValueError(f"programme {self.programme} is claimed by a {kind}, not a {self.claimant.kind}")
        return self


class Claim(Strict):
    """A fully validated claim: the envelope plus the programme's typed facts."""

    body: ClaimBody
    facts: Strict


class ClaimInvalid(ValueError):
    """A claim body that fails validation; `errors` lists {field, message} with dotted field paths."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def field_errors(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[dict[str, str]]:
    """Flatten a pydantic error into {field, message} pairs, the shape of the problem document's `errors`."""
    out = []
    for err in exc.errors(include_url=False):
        loc = [str(part) for part in (*prefix, *err["loc"])]
        message = err["msg"].removeprefix("Value error, ")
        out.append({"field": ".".join(loc) or "body", "message": message})
    return out


def parse_claim(data: Any) -> Claim:
    """Validate a decoded JSON claim body; raise ClaimInvalid naming every faulty field."""
    errors: list[dict[str, str]] = []
    body = None
    try:
        body = ClaimBody.model_validate(data)
    except ValidationError as exc:
        errors += field_errors(exc)
    facts = None
    programme = data.get("programme") if isinstance(data, dict) else None
    if isinstance(programme, str) and programme in PROGRAMMES and isinstance(data.get("facts"), dict):
        try:
            facts = PROGRAMMES[programme][1].model_validate(data["facts"])
        except ValidationError as exc:
            errors += field_errors(exc, ("facts",))
    if errors or body is None or facts is None:
        raise ClaimInvalid(errors or [{"field": "body", "message": "invalid claim"}])
    return Claim(body=body, facts=facts)
