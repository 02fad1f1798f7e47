"""A payment's evidence from disbursement (GET /internal/v1/payments/{id}/evidence): the decision it paid, its
batch's maker, checkers and transitions, the bank's outcome. Events carry none of the decision's reasons or
computation, nor each checker's time, so the audit's payment trail reads them here, with the audit's own
service token (scope payments:read-evidence), never a person's.

Why db/: an outbound adapter to data the audit does not own, read as a repository reads (as disbursement's
db/claim_source). One that cannot answer is EvidenceUnavailable: the trail then says what is missing.
"""

from typing import Any

import httpx


class EvidenceUnavailable(Exception):
    pass


class EvidenceSource:
    def __init__(self, base_url: str, auth: httpx.Auth | None, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(timeout=timeout, auth=auth) if auth is not None else None

    def evidence(self, payment_id: str) -> dict[str, Any] | None:
        """What disbursement holds of the payment; None when it holds no such payment."""
        if self.client is None:
            raise EvidenceUnavailable("the audit has no service credentials for disbursement")
        try:
            response = self.client.get(f"{self.base_url}/internal/v1/payments/{payment_id}/evidence")
        except httpx.HTTPError as exc:
            raise EvidenceUnavailable(f"disbursement unreachable: {type(exc).__name__}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise EvidenceUnavailable(f"disbursement answered {response.status_code}")
        return response.json()
