"""Where the money went: one personal account collecting several people's subsidies, and a fund's
yearly issued total above its budget (qingyang-2023 三(二): scope of use, 专款专用, hazard checks)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from shared.money import format_fen
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE, Finding, make_finding, short
from services.audit.domain.anomalies.payments import in_issue_order
from services.audit.domain.events import IssuedPayment
from shared.china_time import business_year


def payee_shared_by_beneficiaries(payments: Iterable[IssuedPayment]) -> list[Finding]:
    """A payee account receiving personal subsidies for more than one beneficiary.

    Only payments with beneficiary_kind "person" are read (an organisation's account legitimately
    receives many hires' subsidies). One finding per extra beneficiary, keyed on the pair
    (first beneficiary's first payment, this beneficiary's first payment).
    """
    firsts: dict[str, dict[str, IssuedPayment]] = defaultdict(dict)  # payee -> beneficiary -> first payment
    for p in in_issue_order(payments):
        if p.beneficiary_kind == "person":
            firsts[p.payee_ref].setdefault(p.beneficiary_ref, p)
    findings = []
    for payee, by_beneficiary in sorted(firsts.items()):
        first, *others = by_beneficiary.values()  # dicts keep issue order
        for other in others:
            findings.append(make_finding(
                "payee_shared_by_beneficiaries", "medium", FUND_SUPERVISION_CLAUSE,
                f"payee account {short(payee)} receives personal subsidies for beneficiaries "
                f"{short(first.beneficiary_ref)} ({first.payment_id}) and {short(other.beneficiary_ref)} "
                f"({other.payment_id})",
                payment_ids=(first.payment_id, other.payment_id), batch_ids=(first.batch_id, other.batch_id)))
    return findings


def fund_budget_exceeded(payments: Iterable[IssuedPayment], budgets: Mapping[tuple[str, int], int]) -> list[Finding]:
    """A fund's issued total for a calendar year (China time) above its budget, or paying with no budget set.

    Pass effective payments: a failed payment returns its money to the fund. The finding names the
    payment that crossed the budget; later ones are counted in the detail.
    """
    totals: dict[tuple[str, int], int] = defaultdict(int)
    crossing: dict[tuple[str, int], IssuedPayment] = {}
    after: dict[tuple[str, int], int] = defaultdict(int)
    for p in in_issue_order(payments):
        key = (p.fund, business_year(p.issued_at))
        totals[key] += p.amount_fen
        budget = budgets.get(key)
        if key in crossing:
            after[key] += 1
        elif budget is not None and totals[key] > budget:
            crossing[key] = p
    return [f for (fund, year), total in sorted(totals.items())
            for f in budget_findings(fund, year, total, budgets.get((fund, year)),
                                     crossing.get((fund, year)), after[(fund, year)])]


def budget_findings(fund: str, year: int, total_fen: int, budget_fen: int | None,
                    crossing: IssuedPayment | None, after: int) -> list[Finding]:
    """The budget rule's finding for one fund-year from its totals: the payment that crossed the budget
    (and how many came after it) is known to the caller, who may keep running totals instead of payments."""
    key_ids = (f"fund:{fund}", f"year:{year}")
    if budget_fen is None:
        return [make_finding(
            "fund_budget_not_set", "low", FUND_SUPERVISION_CLAUSE,
            f"fund {fund} issued {format_fen(total_fen)} in {year} with no budget set", key_ids=key_ids)]
    if crossing is None or total_fen <= budget_fen:
        return []
    return [make_finding(
        "fund_budget_exceeded", "high", FUND_SUPERVISION_CLAUSE,
        f"fund {fund} issued {format_fen(total_fen)} in {year}, budget {format_fen(budget_fen)}; "
        f"crossed by payment {crossing.payment_id}, {after} payments after it",
        payment_ids=(crossing.payment_id,), batch_ids=(crossing.batch_id,), key_ids=key_ids)]
