"""Facts of the programmes issue 13 adds: the job-retention refunds (claimed by the insured enterprise, on its
headcount, layoffs and premiums) and pingdingshan-2020's draft hiring and social-insurance items."""

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, model_validator

from shared.claims.facts import EnterpriseSize
from shared.claims.fields import FenText, IsoDate, Months, Person, Strict


Headcount = Annotated[StrictInt, Field(ge=0, le=10_000_000)]
# 大型企业 / 中小微企业 / the units qingyang-2023 §1 refunds like SMEs (社会团体、基金会、社会服务机构、律师事务所、
# 会计师事务所、以单位形式参保的个体工商户).
SizeClass = Literal["large", "sme", "other_unit"]


class _LayoffsLastYear(Strict):
    """Last year's insured headcount and layoffs: the layoff rate is computed from them, never stated."""

    size_class: SizeClass
    insured_staff_last_year: Headcount
    layoffs_last_year: Headcount
    applied_on: IsoDate


class JobRetentionRefundFacts(_LayoffsLastYear):
    ui_premiums_paid_last_year: FenText  # 企业及其职工上年度实际缴纳失业保险费


class EpidemicJobRetentionRefundFacts(_LayoffsLastYear):
    epidemic_hit: StrictBool  # 受疫情影响严重、面临暂时性生产经营困难且恢复有望
    contributions_due_3_months: FenText  # 3个月的企业及其职工应缴纳社会保险费


class EpidemicSupplyHiringFacts(Strict):
    employee: Person
    epidemic_supply_producer: StrictBool  # 2020年春节期间开工生产、配送疫情防控急需物资
    contract_start: IsoDate


class _ContributionMonths(Strict):
    """Contributions actually paid for `contribution_months` calendar months ending with contribution_period_end."""

    contribution_period_end: IsoDate
    contribution_months: Annotated[StrictInt, Field(ge=1, le=12)]


class HiringSocialInsuranceFacts(_ContributionMonths):
    employee: Person
    employee_category: Literal["long_term_unemployed", "graduate"]
    unemployed_registered_on: IsoDate | None = None
    graduated_on: IsoDate | None = None
    enterprise_size: EnterpriseSize
    contract_start: IsoDate
    contract_months: Months
    employer_contributions_paid: FenText  # 实际缴纳社会保险费(不含个人缴纳部分)

    @model_validator(mode="after")
    def _category_date(self) -> "HiringSocialInsuranceFacts":
        if self.employee_category == "graduate" and self.graduated_on is None:
            raise ValueError("graduated_on is required for a graduate")
        if self.employee_category == "long_term_unemployed" and self.unemployed_registered_on is None:
            raise ValueError("unemployed_registered_on is required for a long-term unemployed person")
        return self


class FlexibleEmploymentSocialInsuranceFacts(_ContributionMonths):
    graduated_on: IsoDate
    flexible_employment_from: IsoDate
    contributions_paid: FenText  # 实际缴纳社会保险费
