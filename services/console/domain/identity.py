"""Who is signed in: the session's user, and how a provider's token claims name our role."""

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.console.domain.vocabulary import N_

ROLES = ("applicant", "officer", "auditor", "admin")

# What each role's navigation offers, in order: (path, message id). The pages of issue 14 slot in here.
NAVIGATION = {
    "applicant": [("/claims", N_("My claims")), ("/claims/new", N_("File a claim"))],
    "officer": [("/officer/queue", N_("Queue")), ("/officer/batches", N_("Batches")), ("/officer/bank-returns", N_("Bank returns")),
                ("/officer/funds", N_("Fund budgets"))],
    "auditor": [("/audit/dashboard", N_("Dashboard")), ("/audit/ledger", N_("Ledger")), ("/audit/findings", N_("Findings")),
                ("/audit/reconciliation", N_("Reconciliation"))],
    "admin": [("/officer/funds", N_("Fund budgets")), ("/audit/dashboard", N_("Dashboard")), ("/audit/ledger", N_("Ledger")),
              ("/audit/findings", N_("Findings")), ("/audit/reconciliation", N_("Reconciliation"))],
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


def subject_for(name: str) -> str:
    """The development sign-in's subject for a name: the name itself, NFKC-normalised and trimmed, so that
    "李明" signs in as the same officer each time and two names are two people (maker ≠ checker)."""
    subject = " ".join(unicodedata.normalize("NFKC", name).split())
    if not 1 <= len(subject) <= 100:
        raise ValueError("a name of 1-100 characters")
    return subject


def role_from_claims(claims: Mapping[str, Any], roles_claim: str, role_map: Mapping[str, str]) -> str | None:
    """The one role of ours a provider's claims carry (a dotted path to a role or a list of roles; the
    provider's names mapped through role_map). None when it carries none, or several (one role per account)."""
    value: Any = claims
    for part in roles_claim.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    ours = {role_map.get(n, n) for n in names if isinstance(n, str)} & set(ROLES)
    staff = ours - {"applicant"}  # every account has the realm's default role (applicant) as well
    found = staff or ours
    return found.pop() if len(found) == 1 else None
