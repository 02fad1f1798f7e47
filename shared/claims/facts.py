"""The facts each programme takes (contract §3 table, and the programmes the digest adds)."""

from datetime import date  # noqa: F401
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, field_validator, model_validator

from shared.claims.fields import FenText, IsoDate, Level, Months, Name, OccupationCode, Person, Strict, Text
from shared.identifiers import validate_uscc


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


EnterpriseSize = Literal["micro", "small", "medium", "large"]


class HiringFacts(_GraduateOrYouth):
    employee: Person
    employee_category: Literal["graduate", "unemployed_youth"]
    contract_start: IsoDate
    contract_months: Months
    insurance_paid_months: Months
    # Optional (issue 13): pingdingshan-2020 §(九) pays SMEs (中小微企业) only.
    enterprise_size: EnterpriseSize | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "HiringFacts":
        self._require_graduation(self.employee_category)
        return self


class LongTermUnemployedHiringFacts(Strict):
    employee: Person
    unemployed_registered_on: IsoDate
    contract_start: IsoDate
    contract_months: Months
    # Optional (issue 13): months of social insurance paid for the employee (chongqing-2020 §23 按规定缴纳社会保险),
    # and the employer's size (pingdingshan-2020 §(九) 中小微企业). A claim without them is refused where they count.
    insurance_paid_months: Months | None = None
    enterprise_size: EnterpriseSize | None = None


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
    enterprise_size: EnterpriseSize
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


