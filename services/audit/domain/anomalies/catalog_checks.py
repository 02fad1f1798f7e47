"""Each payment against the catalog: scope and fund (专款专用), payment standard, policy period.

Re-derived from the event and the catalog data, not from the disbursement decision, so a wrong
rule there shows up here. Read over every issued payment, failed ones included: a failed payment
was still issued outside the rules.
"""

from collections.abc import Iterable

from shared.money import format_fen
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding
from services.audit.domain.anomalies.payments import in_issue_order
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import IssuedPayment


def fund_not_for_programme(payments: Iterable[IssuedPayment], standards: Standards) -> list[Finding]:
    """Paid from a fund that does not pay the programme, or for a programme the policy does not have."""
    findings = []
    for p in in_issue_order(payments):
        expected = standards.fund_for(p.policy_id, p.programme)
        if expected is None:
            findings.append(make_finding(
                "programme_not_in_catalog", "high", FUND_SUPERVISION_CLAUSE,
                f"payment {p.payment_id}: {p.policy_id} has no programme {p.programme} (scope of use)",
                payment_ids=(p.payment_id,), batch_ids=(p.batch_id,)))
        elif expected != p.fund:
            findings.append(make_finding(
                "fund_not_for_programme", "high", FUND_SUPERVISION_CLAUSE,
                f"payment {p.payment_id}: {p.programme} is paid by {expected}, not {p.fund} (专款专用)",
                payment_ids=(p.payment_id,), batch_ids=(p.batch_id,)))
    return findings


def amount_not_standard(payments: Iterable[IssuedPayment], standards: Standards) -> list[Finding]:
    """Amount different from the catalog's standard for the programme, tier, units and qualifying date,
    or above its ceiling where the clause sets one ("up to 300"). Overpayment is high, underpayment medium.
    No finding where the catalog sets no fixed standard (a share of what was paid, an unset parameter)."""
    findings = []
    for p in in_issue_order(payments):
        standard = standards.payment_standard(p.policy_id, p.programme, p.tier, p.units, p.qualifying_date)
        if standard is None or p.amount_fen == standard.fen or (not standard.exact and p.amount_fen < standard.fen):
            continue
        what = "standard" if standard.exact else "ceiling"
        findings.append(make_finding(
            "amount_not_standard", "high" if p.amount_fen > standard.fen else "medium", FUND_SUPERVISION_CLAUSE,
            f"payment {p.payment_id}: {format_fen(p.amount_fen)} paid, {what} {format_fen(standard.fen)} for "
            f"{p.programme} tier {p.tier or '-'} x {p.units} unit(s) ({p.clause})",
            payment_ids=(p.payment_id,), batch_ids=(p.batch_id,)))
    return findings


def qualifying_date_outside_period(payments: Iterable[IssuedPayment], standards: Standards) -> list[Finding]:
    """Qualifying date before the policy starts or after it ends; cites the payment's clause,
    which carries the validity sentence (qingyang-2023 §1, §8, §12, §16, §18, §22: 截至2023年12月31日)."""
    findings = []
    for p in in_issue_order(payments):
        period = standards.policy_period(p.policy_id)
        if period is None:
            continue  # an unknown policy is reported by fund_not_for_programme
        start, end = period
        if p.qualifying_date < start or (end is not None and p.qualifying_date > end):
            findings.append(make_finding(
                "qualifying_date_outside_period", "high", p.clause,
                f"payment {p.payment_id}: qualifying date {p.qualifying_date} outside {p.policy_id} "
                f"period {start} to {end or 'open'}",
                payment_ids=(p.payment_id,), batch_ids=(p.batch_id,)))
    return findings
