"""Backoff for the loops that must outlive a dependency's outage (relay, consumers), and polling for a condition
another process brings about (a child ready, a claim decided), both built on tenacity."""

import threading
from collections.abc import Callable
from typing import TypeVar

from tenacity import (RetryCallState, Retrying, retry_if_exception_type, retry_if_result, stop_after_delay,
                      wait_exponential_jitter, wait_fixed)

T = TypeVar("T")


def poll(read: Callable[[], T], done: Callable[[T], bool], *, timeout: float, interval: float = 0.2) -> T:
    """Call read every `interval` seconds until done(its result) or `timeout` has passed; returns the last
    result either way, so the caller says what a timeout means. An exception from read is not retried."""
    return Retrying(
        retry=retry_if_result(lambda value: not done(value)),
        stop=stop_after_delay(timeout),
        wait=wait_fixed(interval),
        retry_error_callback=lambda state: state.outcome.result() if state.outcome is not None else None,
    )(read)


def until_stopped(stop_event: threading.Event, *, initial: float = 0.2, maximum: float = 5.0,
                  on_retry: Callable[[BaseException, float], None] | None = None,
                  retry_on: tuple[type[BaseException], ...] = (Exception,)) -> Retrying:
    """Retry a step with jittered exponential backoff until it succeeds or stop_event is set; the wait is
    stop_event.wait, so stopping never waits out a backoff. Each call starts again from `initial`."""

    def before_sleep(state: RetryCallState) -> None:
        if on_retry is not None and state.outcome is not None and state.next_action is not None:
            on_retry(state.outcome.exception(), state.next_action.sleep)

    return Retrying(
        retry=retry_if_exception_type(retry_on),
        wait=wait_exponential_jitter(multiplier=initial, max=maximum, jitter=initial),
        stop=lambda _state: stop_event.is_set(),
        sleep=stop_event.wait,
        before_sleep=before_sleep,
        reraise=True,
    )
