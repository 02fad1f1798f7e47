"""The four-eyes and money limits of an approval, as a pure verdict."""

import pytest

from services.disbursement.domain.approval_policy import ApprovalFigures, ApprovalRefused, Limits, judge

LIMITS = Limits(dual_approval_threshold_fen=1_000_000, officer_daily_limit_fen=5_000_000)


def figures(**changes) -> ApprovalFigures:  # type: ignore[no-untyped-def]
    base = dict(batch_total_fen=500_000, maker="maker", checker="checker", earlier_checkers=(), approved_today_fen=0,
                fund="unemployment_insurance", year=2024, fund_issued_fen=0, fund_budget_fen=None)
    return ApprovalFigures(**{**base, **changes})


def refusal(**changes) -> ApprovalRefused:  # type: ignore[no-untyped-def]
    with pytest.raises(ApprovalRefused) as caught:
        judge(figures(**changes), LIMITS)
    return caught.value


def test_one_checker_completes_a_batch_up_to_the_threshold():
    assert judge(figures(batch_total_fen=1_000_000), LIMITS) is True


def test_a_batch_above_the_threshold_needs_a_second_distinct_checker():
    assert judge(figures(batch_total_fen=1_000_001), LIMITS) is False
    assert judge(figures(batch_total_fen=1_000_001, earlier_checkers=("first",)), LIMITS) is True
    assert refusal(batch_total_fen=1_000_001, earlier_checkers=("Checker ",)).code == "checker_already_approved"


@pytest.mark.parametrize("checker", ["maker", "MAKER", " maker "])
def test_the_maker_never_approves(checker):
    assert refusal(checker=checker).code == "maker_cannot_approve"


def test_the_daily_limit_counts_what_the_checker_approved_today():
    assert judge(figures(approved_today_fen=4_500_000), LIMITS) is True
    refused = refusal(approved_today_fen=4_500_001)
    assert refused.code == "daily_limit_exceeded" and refused.figures["daily_limit"] == "50000.00"


def test_an_officer_may_have_a_daily_limit_of_their_own():
    limits = Limits(1_000_000, 5_000_000, officer_limits_fen={"checker": 100_000})
    with pytest.raises(ApprovalRefused) as caught:
        judge(figures(checker="Checker"), limits)
    assert caught.value.figures["daily_limit"] == "1000.00"


def test_the_budget_holds_the_issued_total_and_this_batch():
    assert judge(figures(fund_budget_fen=1_500_000, fund_issued_fen=1_000_000), LIMITS) is True
    refused = refusal(fund_budget_fen=1_500_000, fund_issued_fen=1_000_001)
    assert refused.code == "budget_exceeded"
    assert (refused.figures["budget"], refused.figures["issued"], refused.figures["remaining"]) == \
        ("15000.00", "10000.01", "4999.99")


def test_no_budget_limits_nothing_unless_budgets_are_required():
    assert judge(figures(fund_issued_fen=10**12), LIMITS) is True
    with pytest.raises(ApprovalRefused) as caught:
        judge(figures(), Limits(1_000_000, 5_000_000, budget_required=True))
    assert caught.value.code == "budget_not_set"
