"""Grant-once rules: the same thing paid twice, both sides of an exclusive pair, per-person caps.

Input: effective payments (payments.effective_payments), so a failed payment re-issued is not a duplicate.
"""

from collections import defaultdict
from collections.abc import Iterable

from services.audit.domain.anomalies.findings import Finding, make_finding, short
from services.audit.domain.anomalies.payments import in_issue_order
from services.audit.domain.anomalies.standards import Standards
from services.audit.domain.events import IssuedPayment


def duplicate_qualifying_key(payments: Iterable[IssuedPayment]) -> list[Finding]:
    """Two payments of one programme for the same qualifying key: one finding per later payment.

    Cites the payment's own clause: each grants once per hire, certificate (occupation and level),
    trainee or business (e.g. qingyang-2023 §18 同一工种、同一等级的不得重复享受; §8 一次性).
    """
    first: dict[tuple[str, str, str], IssuedPayment] = {}
    findings = []
    for p in in_issue_order(payments):
        key = (p.policy_id, p.programme, p.qualifying_key)
        original = first.setdefault(key, p)
        if original is not p:
            findings.append(make_finding(
                "duplicate_qualifying_key", "high", p.clause,
                f"{p.programme} paid again for qualifying key {p.qualifying_key!r}: "
                f"payment {p.payment_id} repeats {original.payment_id}",
                payment_ids=(original.payment_id, p.payment_id), batch_ids=(original.batch_id, p.batch_id),
                key_ids=(original.payment_id, p.payment_id)))
    return findings


def exclusive_pair_both_paid(payments: Iterable[IssuedPayment], standards: Standards) -> list[Finding]:
    """One person (the hire, else the beneficiary) paid under both programmes of an exclusive pair."""
    first: dict[tuple[str, str], IssuedPayment] = {}
    for p in in_issue_order(payments):
        first.setdefault((p.person_ref, p.programme), p)
    findings = []
    for a_code, b_code, clause in standards.exclusive_pairs():
        for (person, programme), a in first.items():
            b = first.get((person, b_code))
            if programme != a_code or b is None:
                continue
            findings.append(make_finding(
                "exclusive_pair_both_paid", "high", clause,
                f"person {short(person)} received both {a_code} ({a.payment_id}) and {b_code} ({b.payment_id})",
                payment_ids=(a.payment_id, b.payment_id), batch_ids=(a.batch_id, b.batch_id)))
    return findings


def per_person_cap_exceeded(payments: Iterable[IssuedPayment], standards: Standards) -> list[Finding]:
    """More payments of a capped programme per person per calendar year than the cap allows.

    The year is that of the qualifying date (for skill_upgrade the certificate's issue date, the
    reading the policy digest recommends for qingyang-2023 §18). One finding per payment past the cap.
    """
    caps = {(c.policy_id, c.programme): c for c in standards.count_caps()}
    counted: dict[tuple[str, str, str, int], list[IssuedPayment]] = defaultdict(list)
    findings = []
    for p in in_issue_order(payments):
        cap = caps.get((p.policy_id, p.programme))
        if cap is None:
            continue
        earlier = counted[(p.policy_id, p.programme, p.person_ref, p.qualifying_date.year)]
        earlier.append(p)
        if len(earlier) > cap.max_count:
            findings.append(make_finding(
                "per_person_cap_exceeded", "high", cap.clause,
                f"person {short(p.person_ref)}: payment {len(earlier)} of {p.programme} in "
                f"{p.qualifying_date.year}, cap {cap.max_count}",
                payment_ids=[e.payment_id for e in earlier[:cap.max_count]] + [p.payment_id],
                batch_ids=(p.batch_id,), key_ids=(p.payment_id,)))
    return findings
