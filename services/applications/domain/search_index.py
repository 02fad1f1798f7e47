"""The columns staff search a claim by, derived from its decision (pure)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any


def decision_columns(decision: dict[str, Any] | None) -> dict[str, str | None]:
    """fund, policy_id and reason_codes (each code between spaces, so " CODE " finds it with LIKE)."""
    if not decision:
        return {"fund": None, "policy_id": None, "reason_codes": None}
    codes = sorted({r.get("code") for r in decision.get("reasons") or [] if r.get("code")})
    return {"fund": decision.get("fund"), "policy_id": decision.get("policy_id"),
            "reason_codes": f" {' '.join(codes)} " if codes else None}


@dataclass(frozen=True)
class ClaimFilters:
    """A claim search (GET /v1/claims): every filter that is not None must hold. An applicant's search is
    always narrowed to their own claims (applicant_sub); the identity number arrives as its pseudonym."""

    applicant_sub: str | None = None
    status: str | None = None
    programme: str | None = None
    fund: str | None = None
    jurisdiction: str | None = None
    policy_id: str | None = None
    reason: str | None = None
    beneficiary_ref: str | None = None
    review: str | None = None
    filed_from: datetime | None = None
    filed_before: datetime | None = None
