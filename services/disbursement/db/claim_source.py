"""Claim check: events carry no identifiers, so disbursement fetches claim bodies from the applications service.

Why db/: this is an outbound adapter to data the service does not own, read the way a repository reads
its tables. Like every repository it sits below service/ (the decider and the payment file export are its
only callers); in messaging/, the room of inbound events, service/ would have to call back up to reach it. A dependency that cannot answer is RetryLater (retried, never dead-lettered); a claim the
applications service does not hold is a LookupError. The calls carry disbursement's own service token with
the one scope they need, claims:read-body (shared.service_identity), never a person's.
"""

from typing import Any

import httpx

from shared.consumer import RetryLater


class ClaimSource:
    def __init__(self, base_url: str, auth: httpx.Auth, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.client = httpx.Client(timeout=timeout, auth=auth)

    def body(self, claim_id: str) -> dict[str, Any]:
        """The claim's body as filed; RetryLater while the applications service cannot answer."""
        try:
            response = self.client.get(f"{self.base_url}/internal/v1/claims/{claim_id}")
        except httpx.HTTPError as exc:
            raise RetryLater(f"applications service unreachable: {type(exc).__name__}") from exc
        if response.status_code == 404:
            raise LookupError(f"the applications service has no claim {claim_id}")
        if response.status_code != 200:
            raise RetryLater(f"applications service answered {response.status_code}")
        return response.json()["body"]

    def bodies(self, claim_ids: list[str], chunk: int = 500) -> dict[str, dict[str, Any]]:
        """Many claims' bodies (POST /internal/v1/claims/lookup, 500 a request); LookupError names any missing."""
        return {claim_id: item["body"] for claim_id, item in self.filed(claim_ids, chunk).items()}

    def filed(self, claim_ids: list[str], chunk: int = 500) -> dict[str, dict[str, Any]]:
        """Many claims as filed: {claim_id, status, submitted_at, body} by claim id; LookupError names any missing."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(claim_ids), chunk):
            try:
                response = self.client.post(f"{self.base_url}/internal/v1/claims/lookup",
                                            json={"claim_ids": claim_ids[start:start + chunk]})
            except httpx.HTTPError as exc:
                raise RetryLater(f"applications service unreachable: {type(exc).__name__}") from exc
            if response.status_code != 200:
                raise RetryLater(f"applications service answered {response.status_code}")
            page = response.json()
            if page["missing"]:
                raise LookupError(f"the applications service has no claim(s) {', '.join(page['missing'][:5])}")
            found.update({item["claim_id"]: item for item in page["items"]})
        return found
