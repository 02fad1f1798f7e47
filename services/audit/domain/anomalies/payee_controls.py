"""Who the money is paid to (issue 14, point 4): a payee account in another name than the claimant's,
a claim whose payee account was changed again and again after failed payments, and one account receiving
for many unrelated beneficiaries. Pure functions over the issued payments; the events carry only a flag
(payee_name_matches), a count (payee_changes) and HMAC refs, never a name or an account number.

Each cites qingyang-2023 三(二): 规范资金…支出程序, 加强…隐患排查 — the payment procedure and the hazard
checks of fund supervision are where a diverted payee is caught.
"""

from collections import defaultdict
from collections.abc import Iterable

from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding, short
from services.audit.domain.anomalies.payments import in_issue_order
from services.audit.domain.events import IssuedPayment

REPEATED_CHANGES = 2  # a claim whose payee changed this many times after failures is flagged
# The most distinct beneficiaries one account may receive for unflagged. The seeds state no number: the operator
# sets it (AUDIT_PAYEE_ACCOUNT_MAX_BENEFICIARIES); 2 lets a couple share an account and flags a third.
MAX_BENEFICIARIES = 2


def payee_name_not_claimant(payments: Iterable[IssuedPayment]) -> list[Finding]:
    """A payment to an account whose name is not the claimant's (payee_name_matches false)."""
    return [make_finding(
        "payee_name_not_claimant", "medium", FUND_SUPERVISION_CLAUSE,
        f"payment {p.payment_id} (claim {p.claim_id}) goes to account {short(p.payee_ref)}, held in another name "
        "than the claimant's", payment_ids=(p.payment_id,), batch_ids=(p.batch_id,))
        for p in in_issue_order(payments) if p.payee_name_matches is False]


def payee_changed_repeatedly(payments: Iterable[IssuedPayment], threshold: int = REPEATED_CHANGES) -> list[Finding]:
    """A payment whose claim had its payee account changed `threshold` or more times after failed payments."""
    return [make_finding(
        "payee_changed_repeatedly", "high", FUND_SUPERVISION_CLAUSE,
        f"claim {p.claim_id} had its payee account changed {p.payee_changes} times after failed payments before "
        f"payment {p.payment_id} to {short(p.payee_ref)}", payment_ids=(p.payment_id,), batch_ids=(p.batch_id,))
        for p in in_issue_order(payments) if p.payee_changes >= threshold]


def account_receives_for_many(payments: Iterable[IssuedPayment],
                              max_beneficiaries: int = MAX_BENEFICIARIES) -> list[Finding]:
    """One payee account receiving for more than `max_beneficiaries` distinct beneficiaries (any kind: an
    employer's own account receives for its hires under its own beneficiary ref, so it is one beneficiary).
    Pass granted payments: a payment the bank returned reached no account. One finding per account, keyed on
    the account alone so that it does not multiply as more payments reach it."""
    by_payee: dict[str, dict[str, IssuedPayment]] = defaultdict(dict)  # payee -> beneficiary -> first payment
    for p in in_issue_order(payments):
        by_payee[p.payee_ref].setdefault(p.beneficiary_ref, p)
    findings = []
    for payee, firsts in sorted(by_payee.items()):
        if len(firsts) > max_beneficiaries:
            shown = list(firsts.values())
            findings.append(make_finding(
                "account_receives_for_many", "high", FUND_SUPERVISION_CLAUSE,
                f"payee account {short(payee)} receives for {len(firsts)} different beneficiaries "
                f"({', '.join(short(b) for b in firsts)})",
                payment_ids=[p.payment_id for p in shown], batch_ids=[p.batch_id for p in shown],
                key_ids=(f"payee:{payee}",)))
    return findings
