from datetime import timedelta

from services.audit.domain.balances import balances
from tests.audit.domain.factories import EU, T0, UI
from tests.audit.domain.ledger_builders import sample_entries


def by_account(rows):
    return {r.account: r.balance_fen for r in rows}


def test_balances_after_issue_settlement_and_failure():
    # p0 (EU, 1000.00) settled, p2 (EU, 1002.00) failed, p4 (EU, 1004.00) settled; p1, p3, p5 (UI) issued only
    rows = by_account(balances(sample_entries()))
    assert rows == {
        f"{EU}:bank": -200_400, f"{EU}:expense:hiring": 200_400, f"{EU}:payable": 0,
        f"{UI}:expense:skill_upgrade": 300_900, f"{UI}:payable": -300_900,
    }


def test_balances_as_of_a_moment_include_only_entries_posted_by_then():
    rows = by_account(balances(sample_entries(), as_of=T0 + timedelta(minutes=30)))
    assert rows == {f"{EU}:expense:hiring": 100_000, f"{EU}:payable": -100_000}


def test_balances_of_one_fund_and_every_fund_sums_to_zero():
    entries = sample_entries()
    assert {r.fund for r in balances(entries, fund=UI)} == {UI}
    for fund in (EU, UI):
        rows = balances(entries, fund=fund)
        assert sum(r.debit_fen for r in rows) == sum(r.credit_fen for r in rows)
