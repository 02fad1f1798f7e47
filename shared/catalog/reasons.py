"""The contract §3 reason codes: stable names a decision's reasons use (add new ones, never rename)."""

from typing import Literal

ReasonCode = Literal[
    "NOT_ELIGIBLE_CATEGORY",
    "AGE_OUT_OF_RANGE",
    "INSURANCE_REQUIREMENT",
    "LEVEL_NOT_COVERED",
    "OUTSIDE_POLICY_PERIOD",
    "POLICY_NOT_IN_FORCE",
    "PROGRAMME_NOT_OFFERED",
    "PARAMETER_NOT_SET",
    "CAP_PER_YEAR",
    "ALREADY_GRANTED",
    "EXCLUSIVE_PROGRAMME",
    "CONTRACT_TOO_SHORT",
    # Added by issue 13: a stated month count longer than the claim's own dates show.
    "MONTHS_EXCEED_PERIOD",
]

REASON_CODES: tuple[str, ...] = ReasonCode.__args__  # type: ignore[attr-defined]

FundCode = Literal["employment_subsidy", "unemployment_insurance", "rural_revitalization", "east_west_cooperation"]
FUND_CODES: tuple[str, ...] = FundCode.__args__  # type: ignore[attr-defined]
