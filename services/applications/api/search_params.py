"""The filters of GET /v1/claims, checked and turned into a ClaimFilters (the identity number pseudonymised
at once: it is never stored, logged or compared raw)."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import Query, Request

from services.applications.domain import status as st
from services.applications.domain.search_index import ClaimFilters
from shared.catalog.reasons import FUND_CODES, REASON_CODES
from shared.china_time import day_start
from shared.claims.fields import JURISDICTIONS
from shared.errors import invalid
from shared.identifiers import pseudonymise
from shared.web.runtime import get_runtime

STATUSES = (st.SUBMITTED, st.ELIGIBLE, st.REJECTED, st.IN_BATCH, st.PAYMENT_ISSUED, st.PAID, st.PAYMENT_FAILED,
            st.WITHDRAWN)
REVIEW_STATES = ("requested", "answered")
Text = Annotated[str | None, Query(min_length=1, max_length=64)]


def claim_filters(request: Request, status: Text = None, programme: Text = None, fund: Text = None,
                  jurisdiction: Text = None, policy_id: Text = None, reason: Text = None, review: Text = None,
                  filed_from: date | None = None, filed_to: date | None = None,
                  claimant_id_number: Annotated[str | None, Query(min_length=1, max_length=32)] = None) -> ClaimFilters:
    """filed_from and filed_to are China calendar days, both included."""
    for name, value, allowed in (("status", status, STATUSES), ("fund", fund, FUND_CODES),
                                 ("jurisdiction", jurisdiction, JURISDICTIONS), ("reason", reason, REASON_CODES),
                                 ("review", review, REVIEW_STATES)):
        if value is not None and value not in allowed:
            raise invalid(name, f"one of {', '.join(allowed)}")
    if filed_from and filed_to and filed_to < filed_from:
        raise invalid("filed_to", "on or after filed_from")
    ref = None
    if claimant_id_number is not None:
        ref = pseudonymise(claimant_id_number, get_runtime(request).settings.grants_pii_key)
    return ClaimFilters(status=status, programme=programme, fund=fund, jurisdiction=jurisdiction, policy_id=policy_id,
                        reason=reason, review=review, beneficiary_ref=ref,
                        filed_from=day_start(filed_from) if filed_from else None,
                        filed_before=day_start(filed_to + timedelta(days=1)) if filed_to else None)
