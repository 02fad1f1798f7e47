"""A batch event is late once the claim has followed that batch's payment; a new batch never is."""

from services.applications.domain.status import is_stale_batch_move


def test_a_batch_event_of_the_batch_whose_payment_was_seen_is_stale():
    assert is_stale_batch_move("B1", "B1")
    assert is_stale_batch_move("B1", "B1", "batch_rejected")


def test_a_batch_event_of_a_new_batch_is_not_stale():
    assert not is_stale_batch_move("B2", "B1")


def test_nothing_is_stale_before_any_payment_or_without_a_batch_id():
    assert not is_stale_batch_move("B1", None)
    assert not is_stale_batch_move(None, "B1")


def test_the_payee_correction_releasing_the_failed_batch_is_not_stale():
    assert not is_stale_batch_move("B1", "B1", "payee_corrected")
