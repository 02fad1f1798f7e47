"""The rules that judge one event on its own, run in the ingest transaction over the events it keeps.

Scope, standard and period of each payment against the catalog, and the four-eyes and role checks of
the batch each event names. None needs another event, so a finding is stored with the event that shows it.
"""

from collections.abc import Sequence

from services.audit.domain.anomalies.catalog_checks import (amount_not_standard, fund_not_for_programme,
                                                            qualifying_date_outside_period)
from services.audit.domain.anomalies.findings import Finding
from services.audit.domain.anomalies.procedure import OFFICER_ROLE, checker_not_officer, maker_is_checker
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import BatchApproved, IssuedPayment

PER_EVENT_RULES = ("fund_not_for_programme", "programme_not_in_catalog", "amount_not_standard",
                   "qualifying_date_outside_period", "maker_is_checker", "checker_not_officer")


def per_event_findings(issued: Sequence[IssuedPayment], approvals: Sequence[BatchApproved], standards: Standards,
                       officer_role: str = OFFICER_ROLE) -> list[Finding]:
    return [*fund_not_for_programme(issued, standards), *amount_not_standard(issued, standards),
            *qualifying_date_outside_period(issued, standards), *maker_is_checker(issued, approvals),
            *checker_not_officer(issued, officer_role)]
