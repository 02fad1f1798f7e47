"""A finding: what an anomaly rule saw, how bad it is, the clause it breaks, and its evidence.

finding_key is sha256 over the rule name and the sorted ids that identify the anomaly, so running
the rules again yields the same keys and storing findings (unique key, insert-or-ignore) never
duplicates one. Rules choose identifying ids that do not grow: a duplicate is keyed on the pair
(original, duplicate), not on every payment that shares the qualifying key.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")
# How auditors work a finding: open when found; acknowledged (being looked into); resolved (dealt with, or closed
# by the system when its condition no longer holds); false_positive (the rule was wrong here).
STATUSES = ("open", "acknowledged", "resolved", "false_positive")

# qingyang-2023 三(二): 规范资金使用范围、发放标准和支出程序 … 确保专款专用 — the scope, standards,
# procedure and one-fund-one-purpose rules cite it. Other policies' rules cite their own clause.
FUND_SUPERVISION_CLAUSE = "qingyang-2023 §三(二)"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    payment_ids: tuple[str, ...]
    clause: str
    detail: str
    finding_key: str
    batch_ids: tuple[str, ...] = ()


def finding_key(rule: str, ids: Iterable[str]) -> str:
    material = "\x1f".join([rule, *sorted(set(ids))])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def make_finding(rule: str, severity: Severity, clause: str, detail: str, *, payment_ids: Iterable[str] = (),
                 batch_ids: Iterable[str] = (), key_ids: Iterable[str] | None = None) -> Finding:
    """Build a finding; key_ids default to the payment and batch ids (sorted, deduplicated)."""
    payments, batches = tuple(sorted(set(payment_ids))), tuple(sorted(set(batch_ids)))
    ids = list(key_ids) if key_ids is not None else [*payments, *(f"batch:{b}" for b in batches)]
    return Finding(rule, severity, payments, clause, detail, finding_key(rule, ids), batches)


def short(ref: str) -> str:
    """A pseudonymous ref shortened for a detail line (refs are HMACs already; this only aids reading)."""
    return ref[:12]
