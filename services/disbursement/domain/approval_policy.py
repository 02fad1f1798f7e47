"""The four-eyes and money limits an approval must pass (pure: figures in, a verdict or a refusal out).

- the maker never approves their own batch, whatever role the token carries;
- a checker counts once: a batch above the dual-approval threshold needs two distinct checkers;
- an officer's approvals in one calendar day (China time) stay within the daily limit, the batch
  counted in full by every checker who signs it;
- the fund's issued total for the year, with this batch, stays within the year's budget (a fund
  with no budget set is limited only when budgets are required).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.money import format_fen
from shared.subjects import subject_key


class ApprovalRefused(Exception):
    """An approval that must not happen; `code` is stable, `figures` (money as decimal strings) go to the client."""

    def __init__(self, code: str, message: str, **figures: object):
        super().__init__(message)
        self.code, self.message, self.figures = code, message, figures


@dataclass(frozen=True, slots=True)
class Limits:
    dual_approval_threshold_fen: int
    officer_daily_limit_fen: int  # for every officer without a limit of their own
    budget_required: bool = False
    officer_limits_fen: Mapping[str, int] = field(default_factory=dict)  # normalised subject -> daily limit

    def daily_limit_for(self, officer: str) -> int:
        return self.officer_limits_fen.get(subject_key(officer.strip()), self.officer_daily_limit_fen)


@dataclass(frozen=True, slots=True)
class ApprovalFigures:
    """Everything the verdict depends on, read under the batch, fund and officer locks."""

    batch_total_fen: int
    maker: str
    checker: str
    earlier_checkers: tuple[str, ...]
    approved_today_fen: int  # by this checker, before this approval
    fund: str
    year: int
    fund_issued_fen: int  # this year, payments not failed
    fund_budget_fen: int | None


def same_person(a: str, b: str) -> bool:
    """Subjects compared as people would (shared.subjects): case, compatibility forms (fullwidth letters),
    invisible characters and surrounding spaces do not make a new person. The subjects a token brings are
    normalised already; this also holds for rows recorded before they were."""
    return subject_key(a.strip()) == subject_key(b.strip())


def needs_two_checkers(total_fen: int, limits: Limits) -> bool:
    return total_fen > limits.dual_approval_threshold_fen


def judge(figures: ApprovalFigures, limits: Limits) -> bool:
    """True when this approval completes the batch (payments are issued); raises ApprovalRefused otherwise."""
    f = figures
    if same_person(f.checker, f.maker):
        raise ApprovalRefused("maker_cannot_approve", "the maker of a batch may not approve it")
    if any(same_person(f.checker, earlier) for earlier in f.earlier_checkers):
        raise ApprovalRefused("checker_already_approved",
                              "you already approved this batch; a second, distinct checker must approve it")
    daily_limit = limits.daily_limit_for(f.checker)
    if f.approved_today_fen + f.batch_total_fen > daily_limit:
        raise ApprovalRefused(
            "daily_limit_exceeded", "this approval would take your approvals today past your daily limit",
            daily_limit=format_fen(daily_limit), approved_today=format_fen(f.approved_today_fen),
            batch_total=format_fen(f.batch_total_fen))
    _check_budget(f, limits)
    required = 2 if needs_two_checkers(f.batch_total_fen, limits) else 1
    return len(f.earlier_checkers) + 1 >= required


def _check_budget(f: ApprovalFigures, limits: Limits) -> None:
    if f.fund_budget_fen is None:
        if limits.budget_required:
            raise ApprovalRefused("budget_not_set", f"fund {f.fund} has no budget for {f.year}",
                                  fund=f.fund, year=f.year)
        return
    if f.fund_issued_fen + f.batch_total_fen > f.fund_budget_fen:
        raise ApprovalRefused(
            "budget_exceeded", f"approving this batch would take fund {f.fund} past its budget for {f.year}",
            fund=f.fund, year=f.year, budget=format_fen(f.fund_budget_fen),
            issued=format_fen(f.fund_issued_fen), batch_total=format_fen(f.batch_total_fen),
            remaining=format_fen(max(f.fund_budget_fen - f.fund_issued_fen, 0)))
