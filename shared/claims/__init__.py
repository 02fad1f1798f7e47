"""The claim body of contract §3: shared because applications validates it at intake and disbursement
validates the same body for what-if evaluations."""

from shared.claims.body import PROGRAMMES, Claim, ClaimBody, ClaimInvalid, field_errors, parse_claim
from shared.claims.fields import JURISDICTIONS, Claimant, IsoDate, PayeeAccount, Person, Strict

__all__ = ["JURISDICTIONS", "PROGRAMMES", "Claim", "ClaimBody", "ClaimInvalid", "Claimant", "IsoDate",
           "PayeeAccount", "Person", "Strict", "field_errors", "parse_claim"]
