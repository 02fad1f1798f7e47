from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from services.audit.domain.errors import InvalidEvent, PaymentNotIssued, UnpostableEvent
from services.audit.domain.journal import InMemoryJournal
from services.audit.domain.postings import (EntryDraft, Posting, check_entry, entry_id_for, entry_kind, post_event)
from tests.audit.domain.factories import UI, batch_event, issued_event, outcome_event

EMPTY = InMemoryJournal()  # a ledger that has seen nothing


def balanced_in_one_fund(draft: EntryDraft) -> bool:
    return (sum(p.debit_fen for p in draft.postings) == sum(p.credit_fen for p in draft.postings)
            and all(p.account.startswith(draft.fund + ":") for p in draft.postings))


def test_issue_debits_programme_expense_and_credits_payable():
    draft = post_event(issued_event("p1", amount="1500.00"), EMPTY)
    assert draft is not None and draft.fund == UI and draft.payment_id == "p1"
    assert draft.postings == (Posting(f"{UI}:expense:skill_upgrade", 150_000, 0), Posting(f"{UI}:payable", 0, 150_000))
    assert balanced_in_one_fund(draft)


def test_entry_id_is_uuid5_of_the_event_id_so_a_replay_maps_to_the_same_entry():
    event = issued_event("p1")
    assert post_event(event, EMPTY) == post_event(dict(event), EMPTY)
    assert post_event(event, EMPTY).entry_id == entry_id_for(event["id"])  # type: ignore[union-attr]
    assert entry_id_for("a") != entry_id_for("b")


def test_settlement_moves_payable_to_bank():
    journal = InMemoryJournal()
    journal.record_event(issued_event("p1"))
    draft = post_event(outcome_event("p1"), journal)
    assert draft is not None
    assert draft.postings == (Posting(f"{UI}:payable", 150_000, 0), Posting(f"{UI}:bank", 0, 150_000))
    assert entry_kind(draft.postings) == "settlement"


def test_failure_reverses_the_issue_entry():
    journal = InMemoryJournal()
    issue = journal.record_event(issued_event("p1"))
    draft = post_event(outcome_event("p1", settled=False), journal)
    assert issue is not None and draft is not None
    assert draft.postings == tuple(Posting(p.account, p.credit_fen, p.debit_fen) for p in issue.postings)
    assert entry_kind(draft.postings) == "reversal" and balanced_in_one_fund(draft)


def test_batch_approval_posts_nothing():
    assert post_event(batch_event("b1"), EMPTY) is None


def test_outcome_for_a_payment_never_issued_is_its_own_error_class():
    with pytest.raises(PaymentNotIssued) as caught:
        post_event(outcome_event("ghost"), EMPTY)
    assert not isinstance(caught.value, UnpostableEvent) and caught.value.payment_id == "ghost"


@pytest.mark.parametrize("change, reason", [
    ({"type": "grants.payment.refunded"}, "unknown_type"),
    ({"data": {"fund": None}}, "malformed"),
    ({"data": {"fund": "Unemployment:insurance"}}, "malformed"),
    ({"data": {"amount": 1500.0}}, "invalid_amount"),
    ({"data": {"amount": "15.005"}}, "invalid_amount"),
    ({"data": {"amount": "0.00"}}, "invalid_amount"),
    ({"data": {"amount": "-1.00"}}, "invalid_amount"),
    ({"data": {"amount": "abc"}}, "invalid_amount"),
    ({"data": {"currency": "USD"}}, "invalid_currency"),
    ({"data": {"issued_at": "2023-11-01T09:00:00"}}, "malformed"),
    ({"data": {"units": 0}}, "malformed"),
])
def test_unpostable_issue_events_name_their_reason(change, reason):
    event = issued_event("p1")
    event.update({k: v for k, v in change.items() if k != "data"})
    event["data"].update(change.get("data", {}))
    with pytest.raises(UnpostableEvent) as caught:
        post_event(event, EMPTY)
    assert caught.value.reason == reason


def test_event_without_id_is_invalid():
    event = issued_event("p1")
    del event["id"]
    with pytest.raises(InvalidEvent):
        post_event(event, EMPTY)


@pytest.mark.parametrize("outcome, reason", [
    (outcome_event("p1", fund="employment_subsidy"), "fund_mismatch"),
    (outcome_event("p1", amount="1499.99"), "amount_mismatch"),
])
def test_outcome_disagreeing_with_the_issue_is_unpostable(outcome, reason):
    journal = InMemoryJournal()
    journal.record_event(issued_event("p1"))
    with pytest.raises(UnpostableEvent) as caught:
        post_event(outcome, journal)
    assert caught.value.reason == reason


def test_second_issue_of_a_payment_under_another_event_id_is_refused():
    journal = InMemoryJournal()
    journal.record_event(issued_event("p1"))
    with pytest.raises(UnpostableEvent) as caught:
        post_event(issued_event("p1", event_id="another"), journal)
    assert caught.value.reason == "duplicate_issue"


def test_a_closed_payment_cannot_be_closed_again():
    journal = InMemoryJournal()
    journal.record_event(issued_event("p1"))
    journal.record_event(outcome_event("p1"))
    with pytest.raises(UnpostableEvent) as caught:
        post_event(outcome_event("p1", settled=False), journal)
    assert caught.value.reason == "already_closed"


def test_check_entry_refuses_a_posting_outside_the_entry_fund():
    with pytest.raises(UnpostableEvent) as caught:
        check_entry(UI, [Posting(f"{UI}:payable", 100, 0), Posting("employment_subsidy:bank", 0, 100)])
    assert caught.value.reason == "cross_fund"


@pytest.mark.parametrize("postings", [
    [],
    [Posting(f"{UI}:payable", 100, 0), Posting(f"{UI}:bank", 0, 99)],
    [Posting(f"{UI}:payable", 100, 100)],
    [Posting(f"{UI}:payable", 0, 0)],
])
def test_check_entry_refuses_unbalanced_or_two_sided_postings(postings):
    with pytest.raises(UnpostableEvent) as caught:
        check_entry(UI, postings)
    assert caught.value.reason == "unbalanced"


def test_a_fund_name_prefixing_another_is_not_the_same_fund():
    with pytest.raises(UnpostableEvent):
        check_entry("ui", [Posting("ui_extra:payable", 100, 0), Posting("ui:bank", 0, 100)])


codes = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)


@given(fund=codes, programme=codes, fen=st.integers(min_value=1, max_value=10**12), settle=st.booleans())
def test_every_entry_balances_and_stays_in_its_fund(fund, programme, fen, settle):
    amount = str(Decimal(fen) / 100)
    journal = InMemoryJournal()
    issue = journal.record_event(issued_event("p", fund=fund, programme=programme, amount=f"{Decimal(amount):.2f}"))
    close = journal.record_event(outcome_event("p", settled=settle, fund=fund, amount=f"{Decimal(amount):.2f}"))
    for entry in (issue, close):
        assert entry is not None and entry.fund == fund
        assert balanced_in_one_fund(entry)  # type: ignore[arg-type]
        assert sum(p.debit_fen for p in entry.postings) == fen
