"""Payment procedure (支出程序, qingyang-2023 三(二)): four eyes and the right role on every batch.

Read from both the issued events and the batch approvals, since either may be the one that arrived.
One finding per batch (keyed on it), listing the batch's payments seen so far.
"""

from collections import defaultdict
from collections.abc import Iterable

from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding
from services.audit.domain.events import BatchApproved, IssuedPayment

OFFICER_ROLE = "officer"


def maker_is_checker(payments: Iterable[IssuedPayment], batches: Iterable[BatchApproved] = ()) -> list[Finding]:
    """The same person made and approved a batch."""
    offenders: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for b in batches:
        if b.maker == b.checker:
            offenders[b.batch_id] = b.maker
            members[b.batch_id].update(b.payment_ids)
    for p in payments:
        if p.maker == p.checker:
            offenders.setdefault(p.batch_id, p.maker)
        members[p.batch_id].add(p.payment_id)
    return [make_finding("maker_is_checker", "high", FUND_SUPERVISION_CLAUSE,
                         f"batch {batch_id}: {who} is both maker and checker",
                         payment_ids=members[batch_id], batch_ids=(batch_id,), key_ids=(batch_id,))
            for batch_id, who in sorted(offenders.items())]


def checker_not_officer(payments: Iterable[IssuedPayment], officer_role: str = OFFICER_ROLE) -> list[Finding]:
    """A batch approved by someone whose role is not officer (events without checker_role are not judged)."""
    offenders: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for p in payments:
        if p.checker_role is not None and p.checker_role != officer_role:
            offenders.setdefault((p.batch_id, p.checker), (p.checker_role, set()))[1].add(p.payment_id)
    return [make_finding("checker_not_officer", "high", FUND_SUPERVISION_CLAUSE,
                         f"batch {batch_id}: checker {checker} has role {role}, not {officer_role}",
                         payment_ids=ids, batch_ids=(batch_id,), key_ids=(batch_id, checker))
            for (batch_id, checker), (role, ids) in sorted(offenders.items())]
