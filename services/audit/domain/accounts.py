"""Chart of accounts: one set of books per fund (专款专用, qingyang-2023 §三(二)).

Every account name starts with its fund code, so "this posting belongs to that fund" is a prefix
test that code and a database CHECK (account LIKE fund || ':%') can both make. Fund and programme
codes are lower-case [a-z0-9_] (events.py refuses anything else), so ":" only ever separates segments.
"""

SEPARATOR = ":"

# Issue: Dr expense / Cr payable. Settlement: Dr payable / Cr bank. Failure: the issue reversed.
EXPENSE, PAYABLE, BANK = "expense", "payable", "bank"


def expense_account(fund: str, programme: str) -> str:
    """The fund's programme expense account, e.g. "unemployment_insurance:expense:skill_upgrade"."""
    return f"{fund}{SEPARATOR}{EXPENSE}{SEPARATOR}{programme}"


def payable_account(fund: str) -> str:
    """What the fund owes payees between issue and the bank's settlement."""
    return f"{fund}{SEPARATOR}{PAYABLE}"


def bank_account(fund: str) -> str:
    """The fund's own bank account (paid out of on settlement)."""
    return f"{fund}{SEPARATOR}{BANK}"


def fund_of(account: str) -> str:
    return account.split(SEPARATOR, 1)[0]


def belongs_to(account: str, fund: str) -> bool:
    """True when the account is in the fund's books (and has a name after the fund)."""
    return account.startswith(fund + SEPARATOR) and len(account) > len(fund) + 1


def kind_of(account: str) -> str:
    """The account's kind, the second segment: "expense", "payable" or "bank"."""
    parts = account.split(SEPARATOR)
    return parts[1] if len(parts) > 1 else ""
