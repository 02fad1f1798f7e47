"""The audit's copy of a bank statement (grants.bank_statement.reconciled): its unmatched entries and payments
become reconciliation breaks once, however often the event is delivered, and a later statement's match clears
them (on SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta

from services.audit.messaging.spec import apply_one
from services.audit.service.reconciliation_report import reconciliation
from shared.db import unit_of_work
from shared.events import BANK_STATEMENT_RECONCILED, DISBURSEMENT_SOURCE, new_event

FUND, DAY = "unemployment_insurance", "2026-12-01"


def statement(statement_id: str, *, matched=(), entries=(), payments=()):  # type: ignore[no-untyped-def]
    def entry(no: int, ref: str, **extra):  # type: ignore[no-untyped-def]
        return {"entry_no": no, "end_to_end_id": ref, "message_id": None, "amount": "5.00", "booked_on": DAY, **extra}
    data = {"statement_id": statement_id, "form": "camt.053", "fund": FUND, "account_ref": "0" * 64,
            "period": [DAY, DAY], "currency": "CNY", "reconciled_at": datetime.now(UTC).isoformat(),
            "matched": [entry(i, p, payment_id=p) for i, p in enumerate(matched, 1)],
            "unmatched_entries": [entry(i, r, reason="no payment of this account has this EndToEndId")
                                  for i, r in enumerate(entries, 1)],
            "unmatched_payments": [{"payment_id": p, "batch_id": "B1", "amount": "9.00", "status": "issued"}
                                   for p in payments]}
    return new_event(BANK_STATEMENT_RECONCILED, DISBURSEMENT_SOURCE, statement_id, data)


def breaks(engine) -> list[tuple[str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with unit_of_work(engine) as session:
        report = reconciliation(session, first_day=None, last_day=None, fund=FUND, as_of=datetime.now(UTC),
                                unsettled_after=timedelta(days=5))
    return sorted((b.kind, b.payment_id, b.fund) for b in report.breaks)


def test_unmatched_on_either_side_are_breaks_once_until_a_later_statement_matches(engine):
    first = statement("S1", matched=["P1"], entries=["PX"], payments=["P2"])
    for _ in range(2):  # a redelivery (the same event id) raises nothing more
        with unit_of_work(engine) as session:
            apply_one(session, first)
    expected = [("payment_not_on_statement", "P2", FUND), ("statement_entry_unmatched", "PX", FUND)]
    assert breaks(engine) == expected
    with unit_of_work(engine) as session:  # another statement still missing P2: the open break is not doubled
        apply_one(session, statement("S2", payments=["P2"]))
    assert breaks(engine) == expected
    with unit_of_work(engine) as session:
        apply_one(session, statement("S3", matched=["P2"]))
    assert breaks(engine) == [("statement_entry_unmatched", "PX", FUND)]
    with unit_of_work(engine) as session:
        report = reconciliation(session, first_day=datetime(2026, 12, 2).date(), last_day=None, fund=FUND,
                                as_of=datetime.now(UTC), unsettled_after=timedelta(days=5))
    assert report.breaks == []  # booked on the 1st: outside a window from the 2nd
