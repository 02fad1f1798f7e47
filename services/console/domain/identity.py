"""Who is signed in: the session's user, and how a provider's token claims name our role."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.console.domain.vocabulary import N_

ROLES = ("applicant", "officer", "auditor", "admin")

# What each role's navigation offers, in order: (path, message id). The pages of issue 14 slot in here.
NAVIGATION = {
    "applicant": [("/claims", N_("My claims")), ("/claims/new", N_("File a claim"))],
    "officer": [("/officer/queue", N_("Queue")), ("/officer/batches", N_("Batches")), ("/officer/bank-returns", N_("Bank returns")),
                ("/officer/bank-statements", N_("Bank statements")),
                ("/officer/funds", N_("Fund budgets")), ("/officer/claims", N_("Search claims")),
                ("/officer/payee-changes", N_("Payee changes")), ("/officer/reevaluations", N_("Re-evaluation"))],
    "auditor": [("/audit/dashboard", N_("Dashboard")), ("/audit/ledger", N_("Ledger")), ("/audit/findings", N_("Findings")),
                ("/audit/reconciliation", N_("Reconciliation")), ("/audit/payments", N_("Payment trails")),
                ("/audit/access-log", N_("Access log"))],
    "admin": [("/officer/funds", N_("Fund budgets")), ("/audit/dashboard", N_("Dashboard")), ("/audit/ledger", N_("Ledger")),
              ("/audit/findings", N_("Findings")), ("/audit/reconciliation", N_("Reconciliation")),
              ("/audit/payments", N_("Payment trails")), ("/audit/access-log", N_("Access log"))],
}
HOME = {role: items[0][0] for role, items in NAVIGATION.items()}


@dataclass(frozen=True)
class SessionUser:
    sub: str
    role: str
    name: str
    token: str
    expires_at: int  # seconds since the epoch

    def as_session(self) -> dict[str, Any]:
        return {"sub": self.sub, "role": self.role, "name": self.name, "token": self.token, "exp": self.expires_at}

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> "SessionUser":
        return cls(str(data["sub"]), str(data["role"]), str(data["name"]), str(data["token"]), int(data["exp"]))
