"""What the rules engine answers: a Decision, and the GrantRecord an eligible one becomes in history."""

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.catalog.reasons import ReasonCode
from shared.money import CURRENCY, format_fen


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reason(_Frozen):
    code: ReasonCode
    message: str
    clause: str


class Step(_Frozen):
    """One line of the computation: what was looked at, the value used (money with two places), the clause."""

    step: str
    value: str
    clause: str


class Decision(_Frozen):
    outcome: Literal["eligible", "rejected"]
    amount_fen: int = Field(ge=0)
    currency: Literal["CNY"] = CURRENCY
    programme: str
    # None only when no policy could be chosen (PROGRAMME_NOT_OFFERED).
    fund: str | None
    policy_id: str | None
    clause: str | None
    reasons: list[Reason]
    computation: list[Step]
    catalog_hash: str
    # For the payment event and the history of caps; pseudonyms only, never a raw identity number.
    beneficiary_ref: str
    subject_ref: str | None
    qualifying_key: str | None
    qualifying_date: date | None
    tier: str | None = None
    units: int = 1
    months: list[str] = []  # the calendar months (YYYY-MM) an eligible decision pays for, where units are months
    lookup_refs: list[str] = []

    def to_contract_json(self) -> dict[str, Any]:
        """The decision object of contract §3 (the caller adds decided_at)."""
        return {
            "outcome": self.outcome,
            "amount": format_fen(self.amount_fen),
            "currency": self.currency,
            "fund": self.fund,
            "policy_id": self.policy_id,
            "clause": self.clause,
            "reasons": [r.model_dump() for r in self.reasons],
            "computation": [s.model_dump() for s in self.computation],
        }


class GrantRecord(_Frozen):
    """An earlier grant, as history for caps and exclusivity. Stored by the disbursement service.

    Load, for a claim, every record with a lookup ref in history_refs(claim): refs are the subject and
    any party (person or organisation) in the qualifying key, so a record is found by every claim it can limit.
    """

    claim_id: str
    programme: str
    policy_id: str
    beneficiary_ref: str
    subject_ref: str
    qualifying_key: str
    qualifying_date: date
    amount_fen: int = Field(ge=0)
    fund: str
    tier: str | None = None
    units: int = Field(default=1, ge=0)
    # The calendar months (YYYY-MM) the grant paid for: a months cap pays a later claim only for the others.
    months: list[str] = []
    lookup_refs: list[str] = []


def grant_record(decision: Decision, *, claim_id: str) -> GrantRecord:
    """The history record of an eligible decision (what the caller persists with the grant)."""
    if decision.outcome != "eligible":
        raise ValueError("only an eligible decision becomes a grant")
    return GrantRecord(
        claim_id=claim_id,
        programme=decision.programme,
        policy_id=decision.policy_id or "",
        beneficiary_ref=decision.beneficiary_ref,
        subject_ref=decision.subject_ref or "",
        qualifying_key=decision.qualifying_key or "",
        qualifying_date=decision.qualifying_date,  # type: ignore[arg-type]
        amount_fen=decision.amount_fen,
        fund=decision.fund or "",
        tier=decision.tier,
        units=decision.units,
        months=decision.months,
        lookup_refs=decision.lookup_refs,
    )
