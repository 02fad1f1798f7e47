"""Issue 14 point 5, last sentence, on PostgreSQL and the real broker: a camt.053 statement's unmatched entries,
on either side, reach the audit's reconciliation report as breaks (through disbursement's outbox), and a later
statement that books the missing payment clears its break."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from shared.china_time import business_day
from shared.events import BANK_STATEMENT_RECONCILED
from tests.disbursement.statement_files import camt053
from tests.e2e.stack import AUDITOR, CHECKER, FUND, Stack, finance_stack  # noqa: F401 - the fixture
from tests.e2e.test_bank_files import issued
from tests.faults.conditions import wait_for

pytestmark = pytest.mark.broker
XML = {**CHECKER, "content-type": "application/xml"}


def statement_breaks(s: Stack, *payment_ids: str) -> set[tuple[str, str | None]]:
    """(kind, payment id) of the report's bank-statement breaks naming these references."""
    report = s.audit.get("/v1/reports/reconciliation", params={"fund": FUND}, headers=AUDITOR)
    assert report.status_code == 200, report.text
    return {(b["kind"], b["payment_id"]) for b in report.json()["breaks"]
            if b["kind"] in ("statement_entry_unmatched", "payment_not_on_statement")
            and b["payment_id"] in payment_ids}


def test_a_statements_unmatched_entries_are_breaks_until_a_later_statement_matches_them(finance_stack: Stack):
    stack = finance_stack
    booked, missing = issued(stack, 2)["items"]
    account = stack.disbursement_app.state.runtime.settings.grants_fund_accounts[FUND].account_number
    today = business_day(datetime.now(UTC)).isoformat()
    first = camt053(account, today, [(booked["payment_id"], booked["amount"]), ("PUNKNOWN-1", "5.00")], "STMT-A")
    r = stack.disbursement.post("/v1/bank-statements", content=first, headers=XML)
    assert r.status_code == 200, r.text

    both = {("statement_entry_unmatched", "PUNKNOWN-1"), ("payment_not_on_statement", missing["payment_id"])}
    ids = ("PUNKNOWN-1", booked["payment_id"], missing["payment_id"])
    wait_for(lambda: statement_breaks(stack, *ids) == both, timeout=120, what="both sides' breaks in the report")
    with stack.disbursement_app.state.runtime.engine.connect() as conn:  # the event names no account
        outbox = stack.disbursement_app.state.runtime.outbox
        payloads = conn.execute(select(outbox.c.payload).where(outbox.c.payload.contains(BANK_STATEMENT_RECONCILED)))
        staged = list(payloads.scalars())
        assert staged and all(account not in p for p in staged)

    # the bank's corrected statement of the day books the missing payment too
    later = camt053(account, today, [(booked["payment_id"], booked["amount"]),
                                     (missing["payment_id"], missing["amount"])], "STMT-B")
    assert stack.disbursement.post("/v1/bank-statements", content=later, headers=XML).status_code == 200
    wait_for(lambda: statement_breaks(stack, *ids) == {("statement_entry_unmatched", "PUNKNOWN-1")}, timeout=120,
             what="the missing payment's break cleared, the unknown debit's still open")
