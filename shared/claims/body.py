"""The claim envelope, the programme registry and parse_claim, which names every faulty field."""

from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator, model_validator

from shared.bank_text import json_text_errors
from shared.claims import facts as f
from shared.claims import facts_enterprise as e
from shared.claims.fields import Claimant, Jurisdiction, PayeeAccount, Strict

PROGRAMMES: dict[str, tuple[str, type[Strict]]] = {
    "skill_upgrade": ("person", f.SkillUpgradeFacts),
    "trainee": ("organisation", f.TraineeFacts),
    "startup": ("person", f.StartupFacts),
    "hiring": ("organisation", f.HiringFacts),
    "job_expansion": ("organisation", f.HiringFacts),
    "hiring_long_term_unemployed": ("organisation", f.LongTermUnemployedHiringFacts),
    "skill_appraisal": ("person", f.SkillAppraisalFacts),
    "job_seeking_subsidy": ("person", f.JobSeekingFacts),
    "labour_transfer_award": ("organisation", f.LabourTransferFacts),
    "graduate_hiring": ("organisation", f.GraduateHiringFacts),
    "hiring_hard_to_employ": ("organisation", f.HardToEmployHiringFacts),
    "apprenticeship": ("organisation", f.ApprenticeshipFacts),
    "startup_social_insurance": ("person", f.StartupSocialInsuranceFacts),
    "employment_workshop_award": ("organisation", f.EmploymentWorkshopFacts),
    "transport_subsidy": ("person", f.TransportSubsidyFacts),
    "grassroots_post_subsidy": ("person", f.GrassrootsPostFacts),
    "labour_export_award": ("organisation", f.LabourExportFacts),
    "temporary_living_allowance": ("person", f.TemporaryLivingAllowanceFacts),
    "job_retention_refund": ("organisation", e.JobRetentionRefundFacts),
    "job_retention_refund_epidemic": ("organisation", e.EpidemicJobRetentionRefundFacts),
    "epidemic_supply_hiring": ("organisation", e.EpidemicSupplyHiringFacts),
    "hiring_social_insurance_subsidy": ("organisation", e.HiringSocialInsuranceFacts),
    "flexible_employment_social_insurance": ("person", e.FlexibleEmploymentSocialInsuranceFacts),
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
    named = {e["field"] for e in errors}
    errors += [e for e in json_text_errors(data) if e["field"] not in named]  # control, bidi: any text field
    if errors or body is None or facts is None:
        raise ClaimInvalid(errors or [{"field": "body", "message": "invalid claim"}])
    return Claim(body=body, facts=facts)
