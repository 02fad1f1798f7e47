"""Response shapes of the audit API (contract §5): money as two-place strings, never floats."""

from pydantic import BaseModel, ConfigDict, Field

from services.audit.domain.balances import AccountBalance
from services.audit.domain.chain import ChainEntry, format_utc
from services.audit.domain.export import entry_to_json
from shared.money import CURRENCY, format_fen


class PostingOut(BaseModel):
    account: str
    debit: str
    credit: str


class EntryOut(BaseModel):
    entry_id: str
    seq: int
    fund: str
    event_id: str
    payment_id: str | None
    postings: list[PostingOut]
    prev_hash: str
    hash: str
    posted_at: str
    currency: str = CURRENCY
    # what the entry's payment was issued for (null for an entry whose issue the audit never read)
    claim_id: str | None = None
    batch_id: str | None = None
    programme: str | None = None


class EntryPage(BaseModel):
    items: list[EntryOut]
    next_cursor: str | None


class BalanceOut(BaseModel):
    account: str
    fund: str
    debit: str
    credit: str
    balance: str  # debit minus credit
    currency: str = CURRENCY


class BalancePage(BaseModel):
    as_of: str
    items: list[BalanceOut]
    next_cursor: str | None = None


class ChainBreakOut(BaseModel):
    fund: str | None
    seq: int | None
    entry_id: str | None
    reason: str
    detail: str


class FundVerifiedOut(BaseModel):
    fund: str
    head: str | None  # the hash of the fund's last entry (None when its chain is broken)
    count: int
    verified_from: int  # the seq this verification went on from (0: the fund's first entry)


class VerifyOut(BaseModel):
    ok: bool
    entries: int
    head: str | None
    first_break: ChainBreakOut | None = None
    full: bool = False
    checked: int = 0
    funds: list[FundVerifiedOut] = []


class FindingOut(BaseModel):
    finding_key: str  # also the finding's id in /v1/anomalies/{finding_id}/...
    rule: str
    severity: str
    clause: str
    payment_ids: list[str]
    batch_ids: list[str]
    detail: str
    found_at: str
    status: str = "open"
    status_by: str | None = None
    status_at: str | None = None
    status_note: str | None = None


class FindingPage(BaseModel):
    items: list[FindingOut]
    next_cursor: str | None


class QuarantinedOut(BaseModel):
    event_id: str
    event_type: str
    payment_id: str | None
    reason: str
    detail: str
    quarantined_at: str
    released_entry_id: str | None
    released_at: str | None


class QuarantinePage(BaseModel):
    items: list[QuarantinedOut]
    next_cursor: str | None


class BudgetIn(BaseModel):
    amount: str


class BudgetOut(BaseModel):
    fund: str
    year: int
    amount: str
    currency: str = CURRENCY


def finding_out(r) -> FindingOut:  # type: ignore[no-untyped-def]
    return FindingOut(finding_key=r.finding_key, rule=r.rule, severity=r.severity, clause=r.clause,
                      payment_ids=r.payment_ids, batch_ids=r.batch_ids, detail=r.detail, found_at=format_utc(r.found_at),
                      status=r.status, status_by=r.status_by, status_at=format_utc(r.status_at) if r.status_at else None,
                      status_note=r.status_note)


def entry_out(entry: ChainEntry, refs: tuple[str, str, str] | None = None) -> EntryOut:
    """The export's shape (entry_to_json), so an entry reads the same in a page and in the file, with the claim,
    batch and programme its payment was issued for."""
    claim_id, batch_id, programme = refs or (None, None, None)
    return EntryOut(**entry_to_json(entry), claim_id=claim_id, batch_id=batch_id, programme=programme)


def balance_out(b: AccountBalance) -> BalanceOut:
    return BalanceOut(account=b.account, fund=b.fund, debit=format_fen(b.debit_fen), credit=format_fen(b.credit_fen),
                      balance=format_fen(b.balance_fen))


class _Report(BaseModel):
    model_config = ConfigDict(extra="allow")  # the report's rows as built: a model never drops a member


class UsageRowOut(_Report):
    fund: str
    programme: str
    issued_count: int
    reversed_count: int
    issued: str
    reversed: str
    net: str
    settled: str
    currency: str


class FundUsageOut(_Report):
    fund: str
    issued: str
    reversed: str
    net: str
    settled: str
    budget: str | None
    currency: str


class MonthUsageOut(_Report):
    month: str  # YYYY-MM, China calendar
    fund: str
    issued_count: int
    reversed_count: int
    issued: str
    reversed: str
    net: str
    settled: str
    currency: str


class FundUsagePage(_Report):
    year: int
    items: list[UsageRowOut]
    funds: list[FundUsageOut]
    months: list[MonthUsageOut] = []  # per China calendar month and fund
    next_cursor: str | None


class ReconciliationRowOut(_Report):
    fund: str
    batch_id: str | None
    approved_count: int
    approved_total: str
    issued_count: int
    issued_total: str
    posted_count: int
    posted_total: str
    settled_count: int
    settled_total: str
    failed_count: int
    failed_total: str
    breaks: int
    break_kinds: list[str]


class BreakOut(_Report):
    kind: str
    payment_id: str | None
    batch_id: str | None
    fund: str | None
    detail: str


class ReconciliationOut(_Report):
    from_: str | None = Field(alias="from")
    to: str | None
    fund: str | None
    as_of: str
    currency: str
    funds: list[ReconciliationRowOut]
    batches: list[ReconciliationRowOut]
    breaks: list[BreakOut]
